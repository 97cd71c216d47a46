// Content-addressed blobs (docs/protocol.md "Blobs"): the store of every blob this engine holds (its
// own meshes and textures, and those the orchestrator sent), and the binary chunk frames they travel
// in, byte for byte like shared/protocol/binary-frame.ts: a 48-byte header (kind 1, version 1, flags 0,
// chunk index, chunk count, payload length, the blob's raw SHA-256), then at most 1 MiB of payload.
using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace VibeSync.Core
{
    /// <summary>Blobs by hash. Thread-safe: the socket thread and the scene's thread both use it.</summary>
    public sealed class BlobStore
    {
        readonly Dictionary<string, byte[]> blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        /// <summary>Stores bytes under their own SHA-256 and returns it.</summary>
        public string Add(byte[] bytes)
        {
            var hash = Canonical.Sha256Hex(bytes);
            lock (blobs) blobs[hash] = bytes;
            return hash;
        }

        /// <summary>Stores bytes already verified against `hash` (a received blob).</summary>
        public void Put(string hash, byte[] bytes) { lock (blobs) blobs[hash] = bytes; }

        public byte[] Get(string hash)
        {
            byte[] b;
            lock (blobs) return blobs.TryGetValue(hash, out b) ? b : null;
        }

        public int Count { get { lock (blobs) return blobs.Count; } }
    }

    public sealed class BlobChunk
    {
        public string Hash;
        public int Index, Count;
        public byte[] Frame;
        public int PayloadOffset, PayloadLength;
    }

    public static class BlobFrames
    {
        public const int HeaderBytes = 48, ChunkBytes = 1024 * 1024, KindBlobChunk = 1, KindLive = 2, Version = 1;

        public static int ChunkCount(long size) { return (int)Math.Max(1, (size + ChunkBytes - 1) / ChunkBytes); }

        static void PutU32(byte[] b, int at, int v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24); }
        static uint GetU32(byte[] b, int at) { return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }

        /// <summary>A whole blob as its chunk frames, in order.</summary>
        public static IEnumerable<byte[]> Chunks(string hash, byte[] blob)
        {
            if (hash.Length != 64) throw new VibeSyncException("SCHEMA_VIOLATION", "a blob hash is 64 hex digits");
            var raw = new byte[32];
            for (int i = 0; i < 32; i++) raw[i] = Convert.ToByte(hash.Substring(2 * i, 2), 16);
            int count = ChunkCount(blob.Length);
            for (int i = 0; i < count; i++)
            {
                int at = i * ChunkBytes, n = Math.Min(ChunkBytes, blob.Length - at);
                var f = new byte[HeaderBytes + n];
                f[0] = KindBlobChunk;
                f[1] = Version;
                PutU32(f, 4, i);
                PutU32(f, 8, count);
                PutU32(f, 12, n);
                Buffer.BlockCopy(raw, 0, f, 16, 32);
                Buffer.BlockCopy(blob, at, f, HeaderBytes, n);
                yield return f;
            }
        }

        /// <summary>Reads one frame's header; anything but a well-formed blob chunk is SCHEMA_VIOLATION.</summary>
        public static BlobChunk Decode(byte[] frame, int length)
        {
            Func<string, VibeSyncException> bad = why => new VibeSyncException("SCHEMA_VIOLATION", "binary frame: " + why);
            if (length < HeaderBytes) throw bad(length + " bytes is shorter than the " + HeaderBytes + "-byte header");
            if (frame[0] == KindLive) throw bad("kind 2 (live lane) is reserved and not open in this version");
            if (frame[0] != KindBlobChunk) throw bad("unknown kind " + frame[0]);
            if (frame[1] != Version) throw bad("version " + frame[1]);
            if (frame[2] != 0 || frame[3] != 0) throw bad("flags must be 0");
            uint index = GetU32(frame, 4), count = GetU32(frame, 8), n = GetU32(frame, 12);
            if (n != length - HeaderBytes) throw bad("length field " + n + " but " + (length - HeaderBytes) + " payload bytes");
            if (count < 1 || index >= count) throw bad("chunk " + index + " of " + count);
            if (n > ChunkBytes || (index < count - 1 && n != ChunkBytes)) throw bad("chunk " + index + " of " + count + " carries " + n + " bytes");
            var hex = new char[64];
            const string digits = "0123456789abcdef";
            for (int i = 0; i < 32; i++) { hex[2 * i] = digits[frame[16 + i] >> 4]; hex[2 * i + 1] = digits[frame[16 + i] & 15]; }
            return new BlobChunk { Hash = new string(hex), Index = (int)index, Count = (int)count, Frame = frame, PayloadOffset = HeaderBytes, PayloadLength = (int)n };
        }
    }

    /// <summary>Reassembles the blobs one connection receives, hashing chunk by chunk; a blob whose bytes do not match its hash is dropped.</summary>
    public sealed class BlobAssembler
    {
        string hash;
        int next, count;
        byte[] bytes;
        long filled;
        SHA256 sha;

        /// <summary>Adds one frame; returns the whole, verified blob when its last chunk is in, else null. TARGET_FAILED when out of order or not matching its hash.</summary>
        public KeyValuePair<string, byte[]>? Add(byte[] frame, int length)
        {
            var c = BlobFrames.Decode(frame, length);
            if (c.Index == 0)
            {
                hash = c.Hash;
                next = 0;
                count = c.Count;
                bytes = new byte[(long)(c.Count - 1) * BlobFrames.ChunkBytes + (c.Count == 1 ? c.PayloadLength : 0)];
                filled = 0;
                sha = SHA256.Create();
            }
            if (hash == null || hash != c.Hash || next != c.Index || count != c.Count)
            {
                hash = null;
                throw new VibeSyncException("TARGET_FAILED", "blob chunk " + c.Index + " of " + c.Hash + " out of order");
            }
            if (c.Index == count - 1 && count > 1) Array.Resize(ref bytes, (int)(filled + c.PayloadLength));
            Buffer.BlockCopy(c.Frame, c.PayloadOffset, bytes, (int)filled, c.PayloadLength);
            filled += c.PayloadLength;
            sha.TransformBlock(c.Frame, c.PayloadOffset, c.PayloadLength, null, 0);
            if (++next < count) return null;
            sha.TransformFinalBlock(new byte[0], 0, 0);
            var got = Canonical.Hex(sha.Hash);
            var done = hash;
            hash = null;
            sha.Dispose();
            if (got != done) throw new VibeSyncException("TARGET_FAILED", "blob " + done + " hashes to " + got + "; dropped");
            return new KeyValuePair<string, byte[]>(done, bytes);
        }
    }

    /// <summary>What a texture blob's header says (PNG IHDR, JPEG start-of-frame), like shared/canonical/image.ts.</summary>
    public sealed class ImageInfo
    {
        public string Format;
        public long Width, Height;

        static readonly byte[] Png = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a };
        static readonly int[] Sof = { 0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf };

        static int U16(byte[] b, int i) { return b[i] << 8 | b[i + 1]; }
        static long U32(byte[] b, int i) { return (long)b[i] << 24 | (long)b[i + 1] << 16 | (long)b[i + 2] << 8 | b[i + 3]; }

        /// <summary>The format and size the header declares, or null (not a PNG or JPEG, or cut off before its size).</summary>
        public static ImageInfo Read(byte[] b)
        {
            bool png = b.Length >= 24;
            for (int i = 0; png && i < 8; i++) png = b[i] == Png[i];
            if (png)
            {
                if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') return null;
                return new ImageInfo { Format = "png", Width = U32(b, 16), Height = U32(b, 20) };
            }
            if (b.Length < 4 || b[0] != 0xff || b[1] != 0xd8) return null;
            int at = 2;
            while (at + 4 <= b.Length)
            {
                if (b[at] != 0xff) return null;
                int marker = b[at + 1];
                if (marker == 0xff) { at++; continue; }
                if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
                if (marker == 0xd9 || marker == 0xda) return null;
                if (Array.IndexOf(Sof, marker) >= 0)
                {
                    if (at + 9 > b.Length) return null;
                    return new ImageInfo { Format = "jpeg", Height = U16(b, at + 5), Width = U16(b, at + 7) };
                }
                at += 2 + U16(b, at + 2);
            }
            return null;
        }
    }
}
