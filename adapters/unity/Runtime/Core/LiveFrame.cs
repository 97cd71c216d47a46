// Live-lane frames (docs/protocol.md "Live lane"), byte for byte like shared/protocol/live-frame.ts:
// binary frame kind 2, little-endian whatever the platform, no padding: u8 kind, u8 version, u16 flags,
// u32 frame number, u32 record count, then per record u16 id length, the id (ASCII, the ObjectId rule),
// 10 float64s: position x, y, z, rotation x, y, z, w, scale x, y, z (the canonical convention, the whole
// transform). A reader refuses anything structurally wrong (SCHEMA_VIOLATION); values are returned as
// they are (ranges are the orchestrator's check).
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    /// <summary>One object's whole transform in a live frame, canonical (+Y up, right-handed, metres).</summary>
    public sealed class LiveRecord
    {
        public string Id;
        public Transform Transform = new Transform();
    }

    public static class LiveFrame
    {
        public const string Capability = "live";
        public const int Kind = 2, Version = 1, HeaderBytes = 12, Values = 10, MaxRecords = 5000, MaxIdLength = 128;
        public const uint MaxFrame = 0xFFFFFFFF;

        static VibeSyncException Violation(string why) { return new VibeSyncException("SCHEMA_VIOLATION", "live frame: " + why); }

        static bool IdChar(int c)
        {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
        }

        static string IdProblem(string id)
        {
            if (id == null || id.Length < 1 || id.Length > MaxIdLength) return "an id of " + (id == null ? 0 : id.Length) + " characters (1-" + MaxIdLength + ")";
            foreach (var c in id) if (!IdChar(c)) return "id \"" + id + "\": ids use A-Z a-z 0-9 _ . : - only";
            if (id == "__proto__" || id == "constructor" || id == "prototype") return "id \"" + id + "\" is reserved";
            return null;
        }

        /// <summary>True for a binary frame of the live lane (its first byte is kind 2), whatever else it holds.</summary>
        public static bool IsLive(byte[] frame, int length) { return length > 0 && frame[0] == Kind; }

        static void PutU16(byte[] b, int at, int v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }
        static void PutU32(byte[] b, int at, uint v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24); }
        static void PutF64(byte[] b, int at, double d)
        {
            ulong v = (ulong)BitConverter.DoubleToInt64Bits(d);
            for (int i = 0; i < 8; i++) b[at + i] = (byte)(v >> (8 * i));
        }
        static int GetU16(byte[] b, int at) { return b[at] | b[at + 1] << 8; }
        static uint GetU32(byte[] b, int at) { return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }
        static double GetF64(byte[] b, int at)
        {
            ulong v = 0;
            for (int i = 7; i >= 0; i--) v = (v << 8) | b[at + i];
            return BitConverter.Int64BitsToDouble((long)v);
        }

        static void Check(double[] v, int n, string what, string id)
        {
            if (v == null || v.Length != n) throw Violation("record " + id + ": " + what + " must have " + n + " numbers");
        }

        /// <summary>A frame carrying these records (whole canonical transforms), numbered `frame`.</summary>
        public static byte[] Encode(uint frame, IList<LiveRecord> records)
        {
            if (records.Count > MaxRecords) throw Violation(records.Count + " records (at most " + MaxRecords + ")");
            int size = HeaderBytes;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                var bad = IdProblem(r.Id);
                if (bad != null) throw Violation(bad);
                if (!seen.Add(r.Id)) throw Violation("id " + r.Id + " appears twice in one frame");
                Check(r.Transform.Position, 3, "position", r.Id);
                Check(r.Transform.Rotation, 4, "rotation", r.Id);
                Check(r.Transform.Scale, 3, "scale", r.Id);
                size += 2 + r.Id.Length + Values * 8;
            }
            var b = new byte[size];
            b[0] = Kind;
            b[1] = Version;
            PutU16(b, 2, 0);
            PutU32(b, 4, frame);
            PutU32(b, 8, (uint)records.Count);
            int at = HeaderBytes;
            foreach (var r in records)
            {
                PutU16(b, at, r.Id.Length);
                at += 2;
                for (int i = 0; i < r.Id.Length; i++) b[at++] = (byte)r.Id[i];
                foreach (var v in new[] { r.Transform.Position, r.Transform.Rotation, r.Transform.Scale })
                    foreach (var d in v) { PutF64(b, at, d); at += 8; }
            }
            return b;
        }

        /// <summary>The first `length` bytes of `data` as a frame: its number and records; SCHEMA_VIOLATION for anything a reader must refuse.</summary>
        public static List<LiveRecord> Decode(byte[] data, int length, out uint frame)
        {
            if (length > data.Length) throw Violation("length " + length + " is beyond the buffer");
            if (length < HeaderBytes) throw Violation(length + " bytes is shorter than the " + HeaderBytes + "-byte header");
            if (data[0] != Kind) throw Violation("kind " + data[0] + " is not " + Kind);
            if (data[1] != Version) throw Violation("version " + data[1] + " (this side speaks " + Version + ")");
            if (GetU16(data, 2) != 0) throw Violation("flags must be 0");
            frame = GetU32(data, 4);
            uint count = GetU32(data, 8);
            if (count > MaxRecords) throw Violation(count + " records (at most " + MaxRecords + ")");
            var records = new List<LiveRecord>((int)count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int at = HeaderBytes;
            for (int n = 0; n < count; n++)
            {
                if (at + 2 > length) throw Violation("record " + n + " of " + count + " is cut off at byte " + at);
                int idLength = GetU16(data, at);
                at += 2;
                if ((long)at + idLength + Values * 8 > length) throw Violation("record " + n + " of " + count + " is cut off at byte " + at);
                var chars = new char[idLength];
                for (int i = 0; i < idLength; i++) chars[i] = (char)data[at + i];
                var id = new string(chars);
                var bad = IdProblem(id);
                if (bad != null) throw Violation(bad);
                if (!seen.Add(id)) throw Violation("record " + n + ": id " + id + " appears twice in one frame");
                at += idLength;
                var v = new double[Values];
                for (int i = 0; i < Values; i++, at += 8) v[i] = GetF64(data, at);
                records.Add(new LiveRecord
                {
                    Id = id,
                    Transform = new Transform { Position = new[] { v[0], v[1], v[2] }, Rotation = new[] { v[3], v[4], v[5], v[6] }, Scale = new[] { v[7], v[8], v[9] } },
                });
            }
            if (at != length) throw Violation((length - at) + " bytes after the last of " + count + " records");
            return records;
        }
    }
}
