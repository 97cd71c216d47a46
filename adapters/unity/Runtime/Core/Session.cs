// One connection's protocol v1 state machine, with no socket and no clock of its own: feed it
// frames (`Receive`) and the time (`Tick`), and it sends through `send`. The Runner (or the Unity
// layer) owns the socket, the reconnect and the thread the scene is touched on.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    public enum ConnectionState { Connecting, Live, Closed }

    public sealed class SessionOptions
    {
        public string Token, Name, EngineKind = "unity", EngineVersion = "host";
        public string[] Roles = { "target" };
        public string[] Targets = new string[0];
        public long Generation = 1;
    }

    public sealed class Session
    {
        readonly SessionOptions opts;
        readonly IScene scene;
        readonly Action<string> send;
        readonly TxSandbox sandbox;
        /// <summary>Fixed for the connection: a reload bumps the options' generation for the next one, never this one's (that would be Generation Drift).</summary>
        readonly long generation;
        long seq, heartbeatSeq, lastHeartbeatMs, nowMs;

        public ConnectionState State = ConnectionState.Connecting;
        public string SessionId;
        public long HeartbeatMs = 1000;
        public readonly HashSet<string> Unacked = new HashSet<string>();
        public readonly List<string> Errors = new List<string>();
        public int Committed, RolledBack, Purged;
        /// <summary>A refusal before welcome (its code), e.g. TRANSIENT while the orchestrator replays its WAL.</summary>
        public string Refusal;
        public event Action<string, Dictionary<string, object>> OnMessage;

        public Session(SessionOptions opts, IScene scene, Action<string> send)
        {
            this.opts = opts;
            this.scene = scene;
            this.send = send;
            generation = opts.Generation;
            sandbox = new TxSandbox(scene);
        }

        public long Generation { get { return generation; } }
        public bool IsSource { get { return Array.IndexOf(opts.Roles, "source") >= 0; } }
        public int OpenTransactions { get { return sandbox.OpenCount; } }

        public void Start(long now)
        {
            nowMs = now;
            Send("handshake", new JObj().Add("token", opts.Token).Add("name", opts.Name)
                .Add("engine", new JObj().Add("kind", opts.EngineKind).Add("version", opts.EngineVersion))
                .Add("roles", opts.Roles).Add("capabilities", new[] { "transform", "materials", "hierarchy" }).Add("generation", generation));
        }

        public string Send(string type, object body)
        {
            if (type != "handshake" && State != ConnectionState.Live)
                throw new VibeSyncException("NOT_HANDSHAKEN", "not connected: the " + type + " was not sent");
            var id = opts.Name + "-" + generation + "-" + (++seq);
            var env = new JObj().Add("v", 1).Add("id", id).Add("session", type == "handshake" ? null : SessionId)
                .Add("gen", generation).Add("ts", nowMs).Add("type", type).Add("body", body);
            send(Json.Write(env));
            if (type == "mutation" || type == "batch") Unacked.Add(id); // snapshots are never acknowledged
            return id;
        }

        public void Tick(long now)
        {
            nowMs = now;
            if (State == ConnectionState.Live && now - lastHeartbeatMs >= HeartbeatMs)
            {
                lastHeartbeatMs = now;
                Send("heartbeat", new JObj().Add("seq", ++heartbeatSeq));
            }
        }

        public string SendSnapshot(string reason)
        {
            var data = new SceneData();
            foreach (var o in scene.Objects) data.Objects.Add(o);
            foreach (var m in scene.Materials) data.Materials.Add(m);
            data.Objects.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            data.Materials.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return Send("snapshot", new JObj().Add("reason", reason).Add("scene", Wire.Write(data)).Add("hash", Canonical.SceneHash(data)));
        }

        /// <summary>Source: a local edit, already applied to the scene, sent as one batch to the configured targets.</summary>
        public string SendEdits(IList<JObj> mutations)
        {
            var list = new List<object>();
            int i = 0;
            foreach (var m in mutations)
            {
                var full = new JObj().Add("mid", opts.Name + "-" + generation + "-m" + seq + "-" + (i++)).Add("targets", opts.Targets);
                full.AddRange(m);
                list.Add(full);
            }
            return Send("batch", new JObj().Add("mutations", list));
        }

        public void SendBusy(string reason, long expectedMs) { Send("busy", new JObj().Add("reason", reason).Add("expectedMs", expectedMs)); }
        public void SendReady() { Send("ready", new JObj()); }

        void Error(string code, string message, string reference, string txId)
        {
            Send("error", new JObj().Add("code", code).Add("message", message).Add("ref", reference).Add("txId", txId));
        }

        /// <summary>One text frame from the orchestrator. A frame this core cannot read is logged, never applied.</summary>
        public void Receive(string text)
        {
            Dictionary<string, object> env;
            try
            {
                env = Wire.Obj(Json.Parse(text), "message", "v", "id", "session", "gen", "ts", "type", "body");
                if (Wire.Int(Wire.Req(env, "v", "message"), "v") != 1) throw new VibeSyncException("PROTOCOL_VERSION", "v must be 1");
            }
            catch (VibeSyncException e)
            {
                Errors.Add(e.Code + ": " + e.Message);
                return;
            }
            var type = env["type"] as string;
            var body = env["body"] as Dictionary<string, object>;
            var id = env["id"] as string;
            if (type == null || body == null) { Errors.Add("SCHEMA_VIOLATION: no type/body"); return; }
            try { Handle(type, id, body, env); }
            catch (VibeSyncException e) { Errors.Add(e.Code + ": " + e.Message); }
            var h = OnMessage;
            if (h != null) h(type, body);
        }

        void Handle(string type, string id, Dictionary<string, object> body, Dictionary<string, object> env)
        {
            if (type == "welcome")
            {
                SessionId = env["session"] as string;
                HeartbeatMs = Wire.Int(Wire.Req(body, "heartbeatMs", "welcome"), "heartbeatMs");
                State = ConnectionState.Live;
                lastHeartbeatMs = nowMs;
                if (IsSource) SendSnapshot("initial");
            }
            else if (type == "ack") Unacked.Remove(Wire.Str(body, "ref", "ack"));
            else if (type == "tx_begin") TxBegin(id, body);
            else if (type == "tx_commit") TxEnd(body, "committed");
            else if (type == "tx_rollback") TxEnd(body, "rolled_back");
            else if (type == "tx_purge") TxEnd(body, "purged");
            else if (type == "rollback_broadcast") sandbox.Rollback(Wire.Str(body, "txId", "rollback_broadcast"));
            else if (type == "resync")
            {
                var data = Wire.ReadScene(Wire.Req(body, "scene", "resync"), "resync.scene");
                sandbox.Clear();
                foreach (var o in new List<SceneObject>(scene.Objects)) scene.RemoveObject(o.Id);
                foreach (var m in new List<Material>(scene.Materials)) scene.RemoveMaterial(m.Id);
                foreach (var m in data.Materials) scene.WriteMaterial(m);
                foreach (var o in data.Objects) scene.WriteObject(o);
            }
            else if (type == "snapshot_request") { if (IsSource) SendSnapshot("requested"); }
            else if (type == "error")
            {
                var code = Wire.Str(body, "code", "error");
                Errors.Add(code + ": " + Wire.Str(body, "message", "error"));
                if (State == ConnectionState.Connecting) Refusal = code;
            }
        }

        void TxBegin(string id, Dictionary<string, object> body)
        {
            var txId = Wire.Str(body, "txId", "tx_begin");
            try
            {
                var hash = sandbox.Begin(txId, Wire.Arr(Wire.Req(body, "mutations", "tx_begin"), "tx_begin.mutations"));
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

    /// <summary>Reconnect delays: doubling from `FirstMs` to `MaxMs`, ±10 % jitter; reset after a welcome.</summary>
    public sealed class Backoff
    {
        public long FirstMs = 500, MaxMs = 30000;
        int attempt;
        readonly Random rng;
        public Backoff(int seed = 1) { rng = new Random(seed); }
        public long Next()
        {
            double baseMs = Math.Min(MaxMs, FirstMs * Math.Pow(2, attempt));
            attempt++;
            return (long)(baseMs * (0.9 + 0.2 * rng.NextDouble()));
        }
        public void Reset() { attempt = 0; }
    }
}
