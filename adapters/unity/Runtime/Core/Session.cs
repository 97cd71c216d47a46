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

    /// <summary>
    /// The connection: envelope, handshake, heartbeat, the dispatch of what arrives, and what any role sends. Its roles are
    /// in the other parts: the target's transactions and resync (SessionTarget.cs), the live lane (SessionLive.cs); the
    /// blob uploads are a BlobUploads of its own (BlobUploads.cs).
    /// </summary>
    public sealed partial class Session
    {
        readonly SessionOptions opts;
        readonly IScene scene;
        readonly Action<string> send;
        readonly Action<byte[]> sendBinary;
        readonly BlobStore blobs;
        readonly BlobAssembler assembler = new BlobAssembler();
        readonly BlobUploads uploads;
        readonly TxSandbox sandbox;
        /// <summary>Fixed for the connection: a reload bumps the options' generation for the next one, never this one's (that would be Generation Drift).</summary>
        readonly long generation;
        long seq, heartbeatSeq, lastHeartbeatMs, nowMs;
        /// <summary>This connection has applied a resync: it answers an initial snapshot not yet sent.</summary>
        bool resynced;

        public ConnectionState State = ConnectionState.Connecting;
        public string SessionId;
        public long HeartbeatMs = 1000;
        public readonly HashSet<string> Unacked = new HashSet<string>();
        public readonly List<string> Errors = new List<string>();
        /// <summary>A refusal before welcome (its code), e.g. TRANSIENT while the orchestrator replays its WAL.</summary>
        public string Refusal;
        public event Action<string, Dictionary<string, object>> OnMessage;
        /// <summary>A blob from the orchestrator is whole and verified (its hash), before the message that needs it.</summary>
        public event Action<string> OnBlob;

        public Session(SessionOptions opts, IScene scene, Action<string> send) : this(opts, scene, send, null, (scene as MemoryScene)?.Blobs ?? new BlobStore()) { }

        /// <param name="blobs">every blob this engine holds (its own, and those it receives on this connection)</param>
        public Session(SessionOptions opts, IScene scene, Action<string> send, Action<byte[]> sendBinary, BlobStore blobs)
        {
            this.opts = opts;
            this.scene = scene;
            this.send = send;
            this.sendBinary = sendBinary ?? (frame => { throw new VibeSyncException("SOURCE_FAILED", "this connection cannot send binary frames"); });
            this.blobs = blobs;
            generation = opts.Generation;
            uploads = new BlobUploads(blobs, Send, this.sendBinary, Errors);
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
                .Add("roles", opts.Roles).Add("capabilities", new[] { "transform", "materials", "hierarchy", "blobs", LiveFrame.Capability }).Add("generation", generation));
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
                object granted;
                LiveGranted = body.TryGetValue("capabilities", out granted) && Wire.Strings(granted, "welcome.capabilities").Contains(LiveFrame.Capability);
                if (IsSource) SnapshotAfterUpload("initial");
            }
            else if (type == "ack") Unacked.Remove(Wire.Str(body, "ref", "ack"));
            else if (type == "tx_begin") TxBegin(id, body);
            else if (type == "tx_commit") TxEnd(body, "committed");
            else if (type == "tx_rollback") TxEnd(body, "rolled_back");
            else if (type == "tx_purge") TxEnd(body, "purged");
            else if (type == "rollback_broadcast") sandbox.Rollback(Wire.Str(body, "txId", "rollback_broadcast"));
            else if (type == "resync") Resync(id, body);
            else if (type == "snapshot_request") { if (IsSource) SnapshotAfterUpload("requested"); }
            else if (type == "blob_need") uploads.Need(body);
            else if (type == "blob_stored") uploads.Stored(Wire.Str(body, "hash", "blob_stored"));
            else if (type == "live_settled") LiveSettledFrame = Math.Max(LiveSettledFrame, Wire.Int(Wire.Req(body, "frame", "live_settled"), "frame"));
            else if (type == "error")
            {
                var code = Wire.Str(body, "code", "error");
                var message = Wire.Str(body, "message", "error");
                Errors.Add(code + ": " + message);
                if (State == ConnectionState.Connecting) Refusal = code;
                object reference;
                var live = body.TryGetValue("ref", out reference) ? reference as string : null;
                uint refused;
                if (live != null && live.StartsWith("live:", StringComparison.Ordinal) && uint.TryParse(live.Substring(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out refused))
                    LiveRefused.Add(new KeyValuePair<uint, string>(refused, code));
                else uploads.Refused(body, code, message);
            }
        }

        /// <summary>One binary frame: a live frame (kind 2), or a chunk of a blob the orchestrator sends before the resync or tx_begin that needs it.</summary>
        public void ReceiveBinary(byte[] frame, int length)
        {
            if (LiveFrame.IsLive(frame, length)) { ReceiveLive(frame, length); return; }
            try
            {
                var whole = assembler.Add(frame, length);
                if (!whole.HasValue) return;
                blobs.Put(whole.Value.Key, whole.Value.Value);
                var h = OnBlob;
                if (h != null) h(whole.Value.Key);
            }
            catch (VibeSyncException e)
            {
                Errors.Add(e.Code + ": " + e.Message);
                Error("TARGET_FAILED", e.Message, null, null);
            }
        }

        // ---- ask, then send (docs/protocol.md "Blobs"; the queue is BlobUploads) ----

        /// <summary>Uploads in flight (a query unanswered, or blobs not yet stored).</summary>
        public int PendingUploads { get { return uploads.Pending; } }
        /// <summary>Blobs this session has sent as chunk frames.</summary>
        public int BlobsSent { get { return uploads.BlobsSent; } }

        /// <summary>Every blob the scene references: object meshes with `blob`, and material textures with `blob`.</summary>
        public List<string> ReferencedBlobs(IEnumerable<SceneObject> objects, IEnumerable<Material> materials)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var r = new List<string>();
            foreach (var o in objects) if (o.Mesh != null && o.Mesh.Blob && seen.Add(o.Mesh.GeometryHash)) r.Add(o.Mesh.GeometryHash);
            foreach (var m in materials) foreach (var t in m.Textures) if (t.Blob && seen.Add(t.Hash)) r.Add(t.Hash);
            return r;
        }

        void SnapshotAfterUpload(string reason)
        {
            // A resync that arrives while the initial snapshot waits for its blobs answers that snapshot: sent after it,
            // the snapshot would carry edits made since, and the orchestrator does not compare a crossed one (docs/protocol.md).
            AfterUpload(ReferencedBlobs(scene.Objects, scene.Materials), () =>
            {
                if (reason == "initial" && resynced) return;
                SendSnapshot(reason);
            });
        }

        /// <summary>
        /// Runs `then` (the snapshot or mutation naming these blobs) once the orchestrator holds every one of them:
        /// blob_query, the chunks of those in blob_need, then blob_stored for each. Later sends wait behind an upload in flight,
        /// so the order of what this engine sends is kept. A blob refused (RESOURCE_LIMIT, HASH_MISMATCH) drops `then`: it would be refused too.
        /// </summary>
        public void AfterUpload(IList<string> hashes, Action then)
        {
            uploads.After(hashes, then);
        }
    }
}
