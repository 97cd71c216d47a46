// What a target holds for a material's textures, in engine-neutral terms: the image file's bytes
// (a PNG or JPEG, docs/protocol.md "Texture blobs"), never the reference it was told. A texture is
// reported from those bytes: their SHA-256, and the format and size the file's header declares. A
// texture whose bytes this engine does not hold (a blob that never arrived) or cannot read (not a PNG
// or JPEG) is left out, so the material hashes differently and the hash check fails visibly.
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace VibeSync.Core
{
    public static class TextureFiles
    {
        sealed class Described { public string Hash; public ImageInfo Info; }

        /// <summary>Byte arrays are never changed once held, so each is hashed and read once.</summary>
        static readonly ConditionalWeakTable<byte[], Described> described = new ConditionalWeakTable<byte[], Described>();

        static Described Describe(byte[] bytes)
        {
            return described.GetValue(bytes, b => new Described { Hash = Canonical.Sha256Hex(b), Info = ImageInfo.Read(b) });
        }

        /// <summary>
        /// The texture to hold for a reference: its slot with the file's bytes (those it already carries, e.g. a state saved
        /// for a rollback, else the blob of its hash), or null when this engine holds no such file. A reference without a
        /// blob (an engine that sends no images) is kept as the summary it is.
        /// </summary>
        public static Texture Hold(Texture t, BlobStore blobs)
        {
            if (!t.Blob) return t;
            var bytes = t.Bytes ?? blobs.Get(t.Hash);
            return bytes == null ? null : new Texture { Slot = t.Slot, Bytes = bytes, Blob = true };
        }

        /// <summary>A held texture as this engine reports it, from its bytes (which it keeps, so a saved state restores them); null when they are not an image.</summary>
        public static Texture Report(Texture held)
        {
            if (held.Bytes == null) return held;
            var d = Describe(held.Bytes);
            if (d.Info == null) return null;
            return new Texture { Slot = held.Slot, Hash = d.Hash, Width = d.Info.Width, Height = d.Info.Height, Format = d.Info.Format, Blob = true, Bytes = held.Bytes };
        }

        /// <summary>Every texture of a reference list this engine holds the file of.</summary>
        public static List<Texture> HoldAll(IEnumerable<Texture> textures, BlobStore blobs)
        {
            var r = new List<Texture>();
            foreach (var t in textures) { var h = Hold(t, blobs); if (h != null) r.Add(h); }
            return r;
        }

        public static List<Texture> ReportAll(IEnumerable<Texture> held)
        {
            var r = new List<Texture>();
            foreach (var t in held) { var h = Report(t); if (h != null) r.Add(h); }
            return r;
        }

        /// <summary>An image file this engine made (a texture of its own): kept in the store to upload, and referenced as a blob; null when it is not a PNG or JPEG.</summary>
        public static Texture Own(string slot, byte[] bytes, BlobStore blobs)
        {
            if (ImageInfo.Read(bytes) == null) return null;
            blobs.Add(bytes);
            return Report(new Texture { Slot = slot, Bytes = bytes, Blob = true });
        }
    }
}
