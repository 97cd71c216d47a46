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
        readonly Action<byte[]> sendBinary;
        readonly BlobStore blobs;
        readonly BlobAssembler assembler = new BlobAssembler();
        readonly Queue<Upload> uploads = new Queue<Upload>();
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
        public int Committed, RolledBack, Purged;
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
            else if (type == "resync")
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
            else if (type == "snapshot_request") { if (IsSource) SnapshotAfterUpload("requested"); }
            else if (type == "blob_need") BlobNeed(body);
            else if (type == "blob_stored") BlobStored(Wire.Str(body, "hash", "blob_stored"));
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
                else UploadRefused(body, code, message);
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

        // ---- the live lane (docs/protocol.md "Live lane") ----

        /// <summary>welcome granted "live": this connection may send live frames, and is sent them.</summary>
        public bool LiveGranted;
        /// <summary>Target: live frames received and read, records applied, records skipped (an object this engine does not hold).</summary>
        public int LiveFramesReceived, LiveRecordsApplied, LiveRecordsSkipped;
        /// <summary>Target: per object, the orchestrator's number of the last live frame applied to it and the transform it carried.</summary>
        readonly Dictionary<string, KeyValuePair<uint, Transform>> liveApplied = new Dictionary<string, KeyValuePair<uint, Transform>>(StringComparer.Ordinal);
        /// <summary>Target: a live frame was applied (its number and records, canonical), after the scene holds it.</summary>
        public event Action<uint, List<LiveRecord>> OnLive;
        /// <summary>Source: live frames sent (numbered from 1 on this connection), the latest frame live_settled made durable (-1 before any).</summary>
        public int LiveFramesSent;
        public long LiveSettledFrame = -1;
        uint nextLiveFrame = 1;
        /// <summary>Source: frames the orchestrator refused (error ref "live:&lt;n&gt;"), with the code: dropped whole, they changed nothing there.</summary>
        public readonly List<KeyValuePair<uint, string>> LiveRefused = new List<KeyValuePair<uint, string>>();

        /// <summary>
        /// A live frame from the orchestrator: a preview, applied at once through the scene (the path a set_transform
        /// takes: the engine converts axes at its edge). An id this engine does not hold is skipped. Never answered: a
        /// frame it cannot read is logged and none of it applied; nothing is sent back, and nothing here is a local edit.
        /// </summary>
        void ReceiveLive(byte[] frame, int length)
        {
            uint number;
            List<LiveRecord> records;
            try { records = LiveFrame.Decode(frame, length, out number); }
            catch (VibeSyncException e)
            {
                Errors.Add(e.Code + ": " + e.Message + " (not applied)");
                return;
            }
            if (!LiveGranted) { Errors.Add("SCHEMA_VIOLATION: a live frame on a connection not granted \"live\" (not applied)"); return; }
            LiveFramesReceived++;
            var direct = scene as ILiveScene;
            foreach (var r in records)
            {
                try
                {
                    bool held;
                    if (direct != null) held = direct.WriteLiveTransform(r.Id, r.Transform);
                    else
                    {
                        var o = scene.ReadObject(r.Id);
                        held = o != null;
                        if (held)
                        {
                            o.Transform = r.Transform.Clone();
                            scene.WriteObject(o);
                        }
                    }
                    if (!held) { LiveRecordsSkipped++; continue; }
                    liveApplied[r.Id] = new KeyValuePair<uint, Transform>(number, r.Transform);
                    LiveRecordsApplied++;
                }
                catch (VibeSyncException e) { Errors.Add(e.Code + ": live frame " + number + ", " + r.Id + ": " + e.Message); }
            }
            var h = OnLive;
            if (h != null) h(number, records);
        }

        /// <summary>After a settle's tx_begin (hash already computed): an object of it that a live frame later than `liveFrame` moved keeps that frame.</summary>
        void KeepNewerLive(IList<object> mutations, uint liveFrame)
        {
            var direct = scene as ILiveScene;
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var raw in mutations)
            {
                var subject = Mutations.Subject((Dictionary<string, object>)raw);
                KeyValuePair<uint, Transform> got;
                if (subject.Key != "object" || !done.Add(subject.Value) || !liveApplied.TryGetValue(subject.Value, out got) || got.Key <= liveFrame) continue;
                if (direct != null) { direct.WriteLiveTransform(subject.Value, got.Value); continue; }
                var o = scene.ReadObject(subject.Value);
                if (o == null) continue;
                o.Transform = got.Value.Clone();
                scene.WriteObject(o);
            }
        }

        /// <summary>
        /// Source: streamed transforms (whole, canonical, as the engine holds them now) as live frames of at most 5,000
        /// records, numbered strictly increasing on this connection. Returns the last frame number. Only when granted.
        /// </summary>
        public uint SendLive(IList<LiveRecord> records)
        {
            if (!LiveGranted) throw new VibeSyncException("SCHEMA_VIOLATION", "the live lane was not granted on this connection");
            if (State != ConnectionState.Live) throw new VibeSyncException("NOT_HANDSHAKEN", "not connected: the live frame was not sent");
            uint last = 0;
            for (int i = 0; i < records.Count; i += LiveFrame.MaxRecords)
            {
                var part = new List<LiveRecord>();
                for (int j = i; j < records.Count && j < i + LiveFrame.MaxRecords; j++) part.Add(records[j]);
                var bytes = LiveFrame.Encode(nextLiveFrame, part);
                last = nextLiveFrame++;
                sendBinary(bytes);
                LiveFramesSent++;
            }
            return last;
        }

        /// <summary>
        /// Source: objects the engine moved (a drag, playback) as they are held now: live frames when the lane is granted,
        /// else one batch of whole set_transforms. Returns "live:&lt;last frame&gt;" or the batch's message id.
        /// </summary>
        public string SendMoves(IList<SceneObject> moved)
        {
            if (LiveGranted)
            {
                var records = new List<LiveRecord>();
                foreach (var o in moved) records.Add(new LiveRecord { Id = o.Id, Transform = o.Transform.Clone() });
                return "live:" + SendLive(records);
            }
            var edits = new List<JObj>();
            foreach (var o in moved) edits.Add(new JObj().Add("op", "set_transform").Add("objectId", o.Id).Add("transform", Wire.Write(o.Transform)));
            return SendEdits(edits);
        }

        // ---- ask, then send (docs/protocol.md "Blobs") ----

        /// <summary>Blobs to offer, then what to send once each needed one is blob_stored. Uploads run one at a time, in order.</summary>
        sealed class Upload
        {
            public List<string> Hashes;
            public Action Then;
            public string QueryId;
            public readonly HashSet<string> Awaiting = new HashSet<string>(StringComparer.Ordinal);
        }

        /// <summary>Uploads in flight (a query unanswered, or blobs not yet stored).</summary>
        public int PendingUploads { get { return uploads.Count; } }
        /// <summary>Blobs this session has sent as chunk frames.</summary>
        public int BlobsSent;

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
            var u = new Upload { Hashes = new List<string>(hashes), Then = then };
            uploads.Enqueue(u);
            if (uploads.Count == 1) StartUpload();
        }

        void StartUpload()
        {
            while (uploads.Count > 0)
            {
                var u = uploads.Peek();
                if (u.Hashes.Count == 0)
                {
                    uploads.Dequeue();
                    u.Then();
                    continue;
                }
                var list = new List<object>();
                foreach (var h in u.Hashes)
                {
                    var bytes = blobs.Get(h);
                    if (bytes == null) throw new VibeSyncException("SOURCE_FAILED", "blob " + h + " is referenced but not held");
                    list.Add(new JObj().Add("hash", h).Add("kind", ImageInfo.Read(bytes) != null ? "texture" : "mesh").Add("size", bytes.LongLength));
                }
                u.QueryId = Send("blob_query", new JObj().Add("blobs", list));
                return;
            }
        }

        void BlobNeed(Dictionary<string, object> body)
        {
            var reference = Wire.Str(body, "ref", "blob_need");
            if (uploads.Count == 0 || uploads.Peek().QueryId != reference) return;
            var u = uploads.Peek();
            foreach (var h in Wire.Strings(Wire.Req(body, "need", "blob_need"), "blob_need.need"))
            {
                var bytes = blobs.Get(h);
                if (bytes == null || !u.Hashes.Contains(h)) continue;
                u.Awaiting.Add(h);
                foreach (var frame in BlobFrames.Chunks(h, bytes)) sendBinary(frame);
                BlobsSent++;
            }
            if (u.Awaiting.Count == 0) FinishUpload();
        }

        void BlobStored(string hash)
        {
            if (uploads.Count == 0) return;
            var u = uploads.Peek();
            if (u.Awaiting.Remove(hash) && u.Awaiting.Count == 0 && u.QueryId != null) FinishUpload();
        }

        void FinishUpload()
        {
            var u = uploads.Dequeue();
            u.Then();
            StartUpload();
        }

        void UploadRefused(Dictionary<string, object> body, string code, string message)
        {
            if (uploads.Count == 0 || (code != "RESOURCE_LIMIT" && code != "HASH_MISMATCH")) return;
            var u = uploads.Peek();
            object reference;
            body.TryGetValue("ref", out reference);
            bool ours = u.QueryId != null && u.QueryId.Equals(reference);
            foreach (var h in u.Hashes) ours |= message.Contains(h);
            if (!ours) return;
            Errors.Add(code + ": the upload was refused; what named its blobs was not sent");
            uploads.Dequeue();
            StartUpload();
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
