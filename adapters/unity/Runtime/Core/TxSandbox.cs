// Transaction sandboxes over an IScene: `Begin` applies a tx_begin's mutations to the engine, keeping
// the previous state of every touched subject; the post-import hash is read back from the engine;
// `Commit` forgets the saved state, `Rollback` writes it back exactly (created subjects removed,
// deleted ones restored). A failing mutation rolls the whole transaction back before the error surfaces.
using System.Collections.Generic;

namespace VibeSync.Core
{
    public sealed class TxSandbox
    {
        sealed class Saved
        {
            public readonly List<string> ObjectOrder = new List<string>();
            public readonly Dictionary<string, SceneObject> Objects = new Dictionary<string, SceneObject>(System.StringComparer.Ordinal);
            public readonly Dictionary<string, Material> Materials = new Dictionary<string, Material>(System.StringComparer.Ordinal);
        }

        readonly IScene scene;
        readonly Dictionary<string, Saved> open = new Dictionary<string, Saved>(System.StringComparer.Ordinal);
        readonly List<string> order = new List<string>();

        public TxSandbox(IScene scene) { this.scene = scene; }
        public int OpenCount { get { return open.Count; } }
        public bool IsOpen(string txId) { return open.ContainsKey(txId); }

        /// <summary>Applies the mutations and returns the transaction hash of what the engine now holds.</summary>
        public string Begin(string txId, IList<object> mutations)
        {
            if (open.ContainsKey(txId)) throw new VibeSyncException("SCHEMA_VIOLATION", "transaction " + txId + " is already open");
            var saved = new Saved();
            open[txId] = saved;
            order.Add(txId);
            try
            {
                foreach (var raw in mutations)
                {
                    var d = raw as Dictionary<string, object>;
                    if (d == null) throw new VibeSyncException("SCHEMA_VIOLATION", "a mutation must be an object");
                    var subject = Mutations.Subject(d);
                    if (subject.Key == "object" && !saved.Objects.ContainsKey(subject.Value))
                    {
                        saved.Objects[subject.Value] = scene.ReadObject(subject.Value);
                        saved.ObjectOrder.Add(subject.Value);
                    }
                    if (subject.Key == "material" && !saved.Materials.ContainsKey(subject.Value)) saved.Materials[subject.Value] = scene.ReadMaterial(subject.Value);
                    Mutations.Apply(scene, d);
                }
            }
            catch
            {
                Rollback(txId);
                throw;
            }
            return Hash(saved);
        }

        string Hash(Saved saved)
        {
            var objs = new Dictionary<string, SceneObject>(System.StringComparer.Ordinal);
            foreach (var id in saved.Objects.Keys) objs[id] = scene.ReadObject(id);
            var mats = new Dictionary<string, Material>(System.StringComparer.Ordinal);
            foreach (var id in saved.Materials.Keys) mats[id] = scene.ReadMaterial(id);
            return Canonical.TxHash(objs, mats);
        }

        public bool Commit(string txId)
        {
            if (!open.Remove(txId)) return false;
            order.Remove(txId);
            return true;
        }

        /// <summary>Restores the state before `txId` (and before any transaction opened after it).</summary>
        public bool Rollback(string txId)
        {
            int at = order.IndexOf(txId);
            if (at < 0) return false;
            for (int i = order.Count - 1; i >= at; i--)
            {
                var saved = open[order[i]];
                foreach (var kv in saved.Materials)
                {
                    if (kv.Value == null) scene.RemoveMaterial(kv.Key);
                    else scene.WriteMaterial(kv.Value);
                }
                for (int j = saved.ObjectOrder.Count - 1; j >= 0; j--)
                {
                    var id = saved.ObjectOrder[j];
                    var prev = saved.Objects[id];
                    if (prev == null) scene.RemoveObject(id);
                    else scene.WriteObject(prev);
                }
                open.Remove(order[i]);
                order.RemoveAt(i);
            }
            return true;
        }

        /// <summary>A resync replaces the scene: open transactions are dropped.</summary>
        public void Clear() { open.Clear(); order.Clear(); }
    }
}
