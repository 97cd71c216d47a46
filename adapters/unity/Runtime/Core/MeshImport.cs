// What a target does with a mesh that arrives as a blob, in engine-neutral terms: look the blob up by
// hash (the orchestrator sends the bytes before the message that needs them), decode it and hold it.
// A blob that never arrived, or bytes that are not a mesh, are TARGET_FAILED naming the object: the
// target never reports a hash it does not hold. Textures: TextureFiles.
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
    }
}
