// What a target does with a mesh or texture that arrives as a blob, in engine-neutral terms: look the
// blob up by hash (the orchestrator sends the bytes before the message that needs them), decode it
// and hold it. A blob that never arrived, or bytes that are not a mesh or an image, are TARGET_FAILED
// naming the object: the target never reports a hash it does not hold.
using System.Collections.Generic;

namespace VibeSync.Core
{
    public static class MeshImport
    {
        /// <summary>
        /// The geometry to hold for `mesh`: the one already held when its hash still matches, else the one decoded
        /// earlier from the same blob (`decoded`, shared like one mesh asset), else decoded now; null for a summary-only mesh.
        /// </summary>
        public static MeshGeometry Resolve(MeshSummary mesh, MeshGeometry current, BlobStore blobs, string objectId, IDictionary<string, MeshGeometry> decoded)
        {
            if (mesh == null || !mesh.Blob) return null;
            if (current != null && current.Summary().GeometryHash == mesh.GeometryHash) return current;
            MeshGeometry g;
            if (decoded.TryGetValue(mesh.GeometryHash, out g)) return g;
            var bytes = blobs.Get(mesh.GeometryHash);
            if (bytes == null) throw new VibeSyncException("TARGET_FAILED", "mesh blob " + mesh.GeometryHash + " of object " + objectId + " was never received");
            try { g = MeshBlob.Hold(MeshBlob.Decode(bytes)); }
            catch (VibeSyncException e) { throw new VibeSyncException("TARGET_FAILED", "object " + objectId + ": " + e.Message); }
            decoded[mesh.GeometryHash] = g;
            return g;
        }

        /// <summary>A texture as the file this engine holds: that file's SHA-256, format and header size (never the wire's values). A reference without a blob is kept as it is.</summary>
        public static Texture HoldTexture(Texture t, BlobStore blobs, string materialId)
        {
            if (!t.Blob) return t;
            var bytes = blobs.Get(t.Hash);
            if (bytes == null) throw new VibeSyncException("TARGET_FAILED", "texture blob " + t.Hash + " of material " + materialId + " was never received");
            var info = ImageInfo.Read(bytes);
            if (info == null) throw new VibeSyncException("TARGET_FAILED", "texture blob " + t.Hash + " of material " + materialId + " is neither a PNG nor a JPEG");
            return new Texture { Slot = t.Slot, Width = info.Width, Height = info.Height, Hash = Canonical.Sha256Hex(bytes), Format = info.Format, Blob = true };
        }
    }
}
