// Owns the socket for a Session: connects with System.Net.WebSockets.ClientWebSocket (no
// compression, no Origin), reassembles text frames up to the 256 MiB resync cap and binary blob
// chunk frames (both directions, one ordered outbox), ticks the
// heartbeat, and reconnects with back-off when the connection drops or the orchestrator answers
// TRANSIENT. Everything that touches the scene runs under `Gate` (the Unity layer marshals to its main thread instead).
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace VibeSync.Core
{
    public sealed class Runner
    {
        public const int MaxFrameBytes = 256 * 1024 * 1024;
        readonly Uri url;
        readonly SessionOptions opts;
        readonly IScene scene;
        readonly BlobStore blobs;
        readonly Backoff backoff = new Backoff();
        public readonly object Gate = new object();
        ClientWebSocket ws;
        CancellationTokenSource stop = new CancellationTokenSource();

        public Session Session { get; private set; }
        public event Action<Session> OnSession;
        /// <summary>Where scene work runs: inline (the host) or posted to the engine's main thread (Unity's EditorApplication.update).</summary>
        public Action<Action> Dispatch = work => work();
        public event Action<string> OnLog;
        /// <summary>Token refusals (AUTH_FAILED, NAME_IN_USE, PANIC…) end the runner; only TRANSIENT and dropped connections retry.</summary>
        public string Fatal;

        /// <param name="blobs">the blobs the engine holds: its own, and those it receives (the scene reads meshes and textures from it)</param>
        public Runner(string url, SessionOptions opts, IScene scene, BlobStore blobs)
        {
            this.url = new Uri(url);
            this.opts = opts;
            this.scene = scene;
            this.blobs = blobs;
        }

        static long Now() { return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); }

        void Log(string s) { var h = OnLog; if (h != null) h(s); }

        public async Task RunAsync()
        {
            while (!stop.IsCancellationRequested && Fatal == null)
            {
                try { await OneConnection().ConfigureAwait(false); }
                catch (Exception e) { Log("connection ended: " + e.GetType().Name + ": " + e.Message); }
                if (stop.IsCancellationRequested || Fatal != null) break;
                var wait = backoff.Next();
                Log("reconnecting in " + wait + " ms");
                try { await Task.Delay((int)wait, stop.Token).ConfigureAwait(false); } catch (TaskCanceledException) { break; }
            }
        }

        /// <summary>One connection's frames waiting to be sent, in order: a string is a text frame, a byte[] a binary one; a null frame ends its send loop.</summary>
        sealed class Outbox
        {
            public readonly Queue<object> Frames = new Queue<object>();
            public readonly SemaphoreSlim Signal = new SemaphoreSlim(0);
            public void Post(object frame) { lock (Frames) Frames.Enqueue(frame); Signal.Release(); }
        }

        async Task OneConnection()
        {
            var sock = new ClientWebSocket();
            sock.Options.KeepAliveInterval = TimeSpan.Zero;
            ws = sock;
            await sock.ConnectAsync(url, stop.Token).ConfigureAwait(false);
            var outbox = new Outbox();
            var sender = Task.Run(() => SendLoop(sock, outbox));
            Session session;
            lock (Gate)
            {
                // a session sends only on its own connection: frames of an earlier one never reach a later one
                session = new Session(opts, scene, text => { if (ws == sock) outbox.Post(text); }, frame => { if (ws == sock) outbox.Post(frame); }, blobs);
                Session = session;
                session.Start(Now());
            }
            var h = OnSession;
            if (h != null) h(session);
            var ticker = Task.Run(async () =>
            {
                while (sock.State == WebSocketState.Open && !stop.IsCancellationRequested)
                {
                    lock (Gate) session.Tick(Now());
                    try { await Task.Delay(50, stop.Token).ConfigureAwait(false); } catch (TaskCanceledException) { return; }
                }
            });
            try
            {
                var buf = new byte[64 * 1024];
                var frame = new MemoryStream();
                while (sock.State == WebSocketState.Open)
                {
                    var r = await sock.ReceiveAsync(new ArraySegment<byte>(buf), stop.Token).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close) break;
                    if (frame.Length + r.Count > MaxFrameBytes) throw new VibeSyncException("TOO_LARGE", "frame over the 256 MiB cap");
                    frame.Write(buf, 0, r.Count);
                    if (!r.EndOfMessage) continue;
                    if (r.MessageType == WebSocketMessageType.Binary)
                    {
                        var bytes = frame.ToArray();
                        frame.SetLength(0);
                        Dispatch(() => { lock (Gate) session.ReceiveBinary(bytes, bytes.Length); });
                        continue;
                    }
                    var text = Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length);
                    frame.SetLength(0);
                    if (r.MessageType != WebSocketMessageType.Text) continue;
                    Dispatch(() =>
                    {
                        lock (Gate)
                        {
                            session.Receive(text);
                            if (session.State == ConnectionState.Live) backoff.Reset();
                        }
                    });
                }
            }
            finally
            {
                string refusal;
                lock (Gate) { session.State = ConnectionState.Closed; refusal = session.Refusal; }
                var status = sock.CloseStatus.HasValue ? (int)sock.CloseStatus.Value : 0;
                Log("closed " + status + " " + sock.CloseStatusDescription);
                if (refusal != null && refusal != "TRANSIENT") Fatal = refusal;
                if (status == 4001 || status == 1009) Fatal = Fatal ?? "CONTRACT_VIOLATION";
                outbox.Post(null);
                await ticker.ConfigureAwait(false);
                await sender.ConfigureAwait(false);
            }
        }

        async Task SendLoop(ClientWebSocket sock, Outbox outbox)
        {
            while (true)
            {
                await outbox.Signal.WaitAsync().ConfigureAwait(false);
                object frame;
                lock (outbox.Frames) frame = outbox.Frames.Dequeue();
                if (frame == null) return;
                if (sock.State != WebSocketState.Open) continue;
                try
                {
                    var binary = frame as byte[];
                    var bytes = binary ?? Encoding.UTF8.GetBytes((string)frame);
                    var kind = binary != null ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                    await sock.SendAsync(new ArraySegment<byte>(bytes), kind, true, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) { Log("send failed: " + e.Message); }
            }
        }

        /// <summary>An engine reload: close this connection (1000) and handshake on a new one with generation + 1.</summary>
        public async Task ReloadAsync()
        {
            lock (Gate) { opts.Generation++; }
            backoff.Reset();
            var sock = ws;
            if (sock != null && sock.State == WebSocketState.Open)
            {
                try { await sock.CloseAsync(WebSocketCloseStatus.NormalClosure, "engine reload", CancellationToken.None).ConfigureAwait(false); }
                catch (Exception e) { Log("close on reload: " + e.Message); }
            }
        }

        public async Task StopAsync()
        {
            var sock = ws;
            stop.Cancel();
            if (sock != null && sock.State == WebSocketState.Open)
            {
                try { await sock.CloseAsync(WebSocketCloseStatus.NormalClosure, "host stopped", CancellationToken.None); } catch (Exception) { }
            }
        }
    }
}
