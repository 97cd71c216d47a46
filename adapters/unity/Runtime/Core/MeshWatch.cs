// Finds the meshes a user edited in this engine, cheaply enough to run every frame, and sends them:
// each frame the engine gives a cheap key per object (Unity: the mesh's instance, vertex count and
// dirty count; the host: its geometry's edit count), and only an object whose key moved, or that an
// engine event marked, is read back, re-encoded and hashed. A mesh whose hash differs from the one
// the orchestrator knows is an edit: its blob is uploaded (ask, then send) and one batch of
// `set_props {mesh}` follows. Meshes written from the orchestrator are recorded as known, so they
// are never echoed back.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    public sealed class MeshWatch
    {
        sealed class Seen { public long Key; public string Hash; }

        public sealed class Change
        {
            public string ObjectId;
            /// <summary>The summary of the mesh the engine now holds, or null when the object no longer has one.</summary>
            public MeshSummary Mesh;
            public byte[] Blob;
            /// <summary>
            /// With HasMark, the object's notSynced mark as read with this mesh (NotSyncedRules; null clears it), sent in the
            /// same set_props: a mesh edit can add or remove what the blob cannot carry (a second UV channel, a Lines submesh).
            /// </summary>
            public bool HasMark;
            public NotSyncedMark NotSynced;
        }

        readonly Dictionary<string, Seen> seen = new Dictionary<string, Seen>(StringComparer.Ordinal);
        readonly HashSet<string> marked = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Objects whose mesh was read back and hashed by Poll so far (the expensive path).</summary>
        public long Reads;

        /// <summary>A cheap key from three engine counters.</summary>
        public static long Key(long a, long b, long c) { unchecked { return (a * 1000003 + b) * 1000003 + c; } }

        /// <summary>The object's mesh as the orchestrator knows it: after a write it received, or an edit it sent.</summary>
        public void Known(string id, long key, string hash) { seen[id] = new Seen { Key = key, Hash = hash }; }

        public void Forget(string id) { seen.Remove(id); marked.Remove(id); }

        /// <summary>An engine event says this object's mesh may have changed: Poll reads it even if its key did not move.</summary>
        public void Mark(string id) { marked.Add(id); }

        /// <summary>
        /// One frame's check. An object seen for the first time is only remembered (its key; the hash stays unknown, so its
        /// first edit is always sent, at worst once needlessly). Then only moved keys and marked objects are read.
        /// </summary>
        public List<Change> Poll(IEnumerable<string> ids, Func<string, long> key, Func<string, MeshGeometry> read)
        {
            var changes = new List<Change>();
            foreach (var id in ids)
            {
                long k = key(id);
                Seen s;
                if (!seen.TryGetValue(id, out s)) { seen[id] = new Seen { Key = k }; marked.Remove(id); continue; }
                if (k == s.Key && !marked.Remove(id)) continue;
                s.Key = k;
                Reads++;
                var g = read(id);
                var summary = g == null ? null : g.Summary();
                var hash = summary == null ? null : summary.GeometryHash;
                if (hash == s.Hash) continue;
                s.Hash = hash;
                changes.Add(new Change { ObjectId = id, Mesh = summary, Blob = g == null ? null : g.Encoded() });
            }
            marked.Clear();
            return changes;
        }

        /// <summary>Uploads the changed meshes' blobs, then sends one batch naming them (after blob_stored for each).</summary>
        public static void Send(Session session, BlobStore blobs, IList<Change> changes, Action<string> sent = null)
        {
            if (changes.Count == 0) return;
            var hashes = new List<string>();
            foreach (var c in changes)
                if (c.Mesh != null) { blobs.Put(c.Mesh.GeometryHash, c.Blob); hashes.Add(c.Mesh.GeometryHash); }
            var edits = new List<JObj>();
            foreach (var c in changes)
            {
                var props = new JObj().Add("mesh", Wire.Write(c.Mesh));
                if (c.HasMark) props.Add("notSynced", Kinds.Write(c.NotSynced));
                edits.Add(new JObj().Add("op", "set_props").Add("objectId", c.ObjectId).Add("props", props));
            }
            session.AfterUpload(hashes, () =>
            {
                var id = session.SendEdits(edits);
                if (sent != null) sent(id);
            });
        }
    }
}
