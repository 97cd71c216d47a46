// The target's part of a Session: a tx_begin applied in the sandbox and answered with the hash of what the
// engine then holds, its tx_commit / tx_rollback / tx_purge answered with tx_done, and a resync that replaces
// the whole scene (what the engine cannot hold is reported, typed; the rest is still applied).
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    public sealed partial class Session
    {
        /// <summary>Transactions this target ended, by outcome (each answered with tx_done).</summary>
        public int Committed, RolledBack, Purged;

        void Resync(string id, Dictionary<string, object> body)
        {
            resynced = true;
            var data = Wire.ReadScene(Wire.Req(body, "scene", "resync"), "resync.scene");
            sandbox.Clear();
            foreach (var o in new List<SceneObject>(scene.Objects)) scene.RemoveObject(o.Id);
            foreach (var m in new List<Material>(scene.Materials)) scene.RemoveMaterial(m.Id);
            // what the engine cannot hold (a texture it does not import, a blob that never came) is left out and
            // reported, typed; the rest of the scene is still applied
            var failed = new List<string>();
            foreach (var m in data.Materials)
                try
                {
                    scene.WriteMaterial(m);
                    // a texture whose file is not held is left out of the material; a resync has no hash check, so say so
                    var back = scene.ReadMaterial(m.Id);
                    int missing = m.Textures.Count - (back == null ? 0 : back.Textures.Count);
                    if (missing > 0) failed.Add("material " + m.Id + ": " + missing + " texture(s) not held (file never received, unreadable, or a slot this engine has no place for)");
                }
                catch (VibeSyncException e) { failed.Add(e.Message); }
            foreach (var o in data.Objects)
                try { scene.WriteObject(o); }
                catch (VibeSyncException e) { failed.Add(e.Message); }
            if (failed.Count > 0)
            {
                var message = failed.Count + " subjects of the resync are not held: " + string.Join("; ", failed.GetRange(0, Math.Min(failed.Count, 5)).ToArray());
                if (message.Length > 1000) message = message.Substring(0, 1000);
                Errors.Add("TARGET_FAILED: " + message);
                Error("TARGET_FAILED", message, id, null);
            }
        }

        void TxBegin(string id, Dictionary<string, object> body)
        {
            var txId = Wire.Str(body, "txId", "tx_begin");
            try
            {
                var mutations = Wire.Arr(Wire.Req(body, "mutations", "tx_begin"), "tx_begin.mutations");
                object raw;
                long liveFrame = body.TryGetValue("liveFrame", out raw) ? Wire.Int(raw, "tx_begin.liveFrame") : -1;
                if (liveFrame > LiveFrame.MaxFrame || (raw != null && liveFrame < 0)) throw new VibeSyncException("SCHEMA_VIOLATION", "tx_begin.liveFrame must be a u32");
                var hash = sandbox.Begin(txId, mutations);
                // the hash is of the settled values; then an object a newer live frame moved keeps that frame (latest wins)
                if (LiveGranted && liveFrame >= 0) KeepNewerLive(mutations, (uint)liveFrame);
                Send("tx_hash", new JObj().Add("txId", txId).Add("hash", hash));
            }
            catch (VibeSyncException e)
            {
                // The sandbox is already rolled back: report a target failure for this transaction.
                Error("TARGET_FAILED", e.Code + ": " + e.Message, id, txId);
            }
        }

        void TxEnd(Dictionary<string, object> body, string outcome)
        {
            var txId = Wire.Str(body, "txId", "tx_end");
            bool known = outcome == "committed" ? sandbox.Commit(txId) : sandbox.Rollback(txId);
            if (!known) return;
            if (outcome == "committed") Committed++;
            else if (outcome == "rolled_back") RolledBack++;
            else Purged++;
            Send("tx_done", new JObj().Add("txId", txId).Add("outcome", outcome));
        }
    }
}
