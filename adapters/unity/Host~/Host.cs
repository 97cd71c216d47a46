// vibesync-unity-host.exe: the engine-neutral core over an in-memory scene, as a real peer of the
// orchestrator (a source and/or a target), driven by line commands on stdin and reporting JSON
// lines on stdout. Used by adapters/unity/unity.test.ts and bench/; not part of the Unity package build.
//   env: VIBESYNC_URL, VIBESYNC_TOKEN, VIBESYNC_NAME, VIBESYNC_ROLES (source,target), VIBESYNC_TARGETS,
//        VIBESYNC_GENERATION, VIBESYNC_OBJECTS (a source's initial scene size), VIBESYNC_MESHES=1 (a source's
//        meshes are real geometry, uploaded as blobs; otherwise summaries only), VIBESYNC_TEXTURES=1 (its
//        material carries a base-colour PNG of its own, uploaded as a texture blob), VIBESYNC_MARKS=1 (its u_1 stands for a
//        skinned mesh: an empty carrying the notSynced mark the Unity layer gives a SkinnedMeshRenderer)
//   The host is split by role: HostScene.cs (the scene it generates), ImportQuirks.cs (its importer and the quirk-*
//   commands), HostCommands.cs (the stdin commands), HostBench.cs (in-process figures), Png.cs (its PNG encoder).
using System;
using System.Globalization;
using System.Threading.Tasks;
using VibeSync.Core;

static class Host
{
    static readonly object Out = new object();

    internal static void Emit(JObj o) { lock (Out) { Console.Out.WriteLine(Json.Write(o)); Console.Out.Flush(); } }

    static string Env(string k, string d) { var v = Environment.GetEnvironmentVariable(k); return string.IsNullOrEmpty(v) ? d : v; }

    static int Main()
    {
        var opts = new SessionOptions
        {
            Token = Env("VIBESYNC_TOKEN", ""),
            Name = Env("VIBESYNC_NAME", "unity"),
            Roles = Env("VIBESYNC_ROLES", "target").Split(','),
            Targets = Env("VIBESYNC_TARGETS", "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries),
            Generation = long.Parse(Env("VIBESYNC_GENERATION", "1"), CultureInfo.InvariantCulture),
            EngineVersion = "host-mono-" + Environment.Version,
        };
        var scene = new MemoryScene();
        int n = int.Parse(Env("VIBESYNC_OBJECTS", "0"), CultureInfo.InvariantCulture);
        if (n > 0) scene.Replace(HostScene.Generate(n, Env("VIBESYNC_MESHES", "") == "1" ? scene.Blobs : null, Env("VIBESYNC_TEXTURES", "") == "1" ? scene.Blobs : null, Env("VIBESYNC_MARKS", "") == "1"));
        var quirks = new ImportQuirks(scene); // the faithful importers, until a quirk-* command
        var runner = new Runner(Env("VIBESYNC_URL", "ws://127.0.0.1:7420/adapter"), opts, scene, scene.Blobs);
        runner.OnLog += msg => Emit(new JObj().Add("event", "log").Add("line", msg));
        runner.OnSession += s =>
        {
            // a target's first sync, timed in the host: welcome → the blobs whole and verified → the resync applied (its meshes
            // decoded and held) → the hash of what it holds (every mesh re-encoded and hashed)
            var clock = System.Diagnostics.Stopwatch.StartNew();
            double welcomeMs = -1, blobMs = -1;
            bool synced = false;
            s.OnBlob += hash => { blobMs = clock.Elapsed.TotalMilliseconds; };
            s.OnMessage += (type, body) =>
            {
                if (type == "welcome") welcomeMs = clock.Elapsed.TotalMilliseconds;
                if (type != "resync" || synced) return;
                synced = true;
                double applied = clock.Elapsed.TotalMilliseconds;
                var hash = scene.Hash();
                double hashed = clock.Elapsed.TotalMilliseconds;
                long vertices = 0;
                foreach (var id in scene.Ids) { var g = scene.ReadObject(id).Geometry; if (g != null) vertices += g.VertexCount; }
                Emit(new JObj().Add("event", "first-sync").Add("hash", hash).Add("vertices", vertices).Add("blobs", scene.Blobs.Count)
                    .Add("receiveMs", blobMs < 0 ? 0 : blobMs - welcomeMs).Add("applyMs", applied - (blobMs < 0 ? welcomeMs : blobMs))
                    .Add("hashMs", hashed - applied).Add("totalMs", hashed - welcomeMs));
            };
        };
        runner.OnSession += s => s.OnMessage += (type, body) =>
        {
            var e = new JObj().Add("event", "msg").Add("type", type);
            object tx;
            if (body.TryGetValue("txId", out tx)) e.Add("txId", tx);
            if (type == "welcome") e.Add("gen", s.Generation).Add("session", s.SessionId);
            if (type == "error") e.Add("code", body["code"]).Add("ref", body.ContainsKey("ref") ? body["ref"] : null);
            if (type == "welcome") e.Add("liveGranted", s.LiveGranted);
            if (type == "live_settled") e.Add("frame", body["frame"]);
            if (type == "tx_begin" && body.ContainsKey("liveFrame")) e.Add("liveFrame", body["liveFrame"]);
            Emit(e);
        };
        // a live frame applied as a preview (the scene already holds it)
        runner.OnSession += s => s.OnLive += (frame, records) => Emit(new JObj().Add("event", "live").Add("frame", (long)frame).Add("records", records.Count)
            .Add("skipped", s.LiveRecordsSkipped));
        // as a source, one frame every 20 ms: meshes edited in this engine (edit-mesh) are found by MeshWatch and sent
        var watch = new MeshWatch();
        if (Array.IndexOf(opts.Roles, "source") >= 0) scene.Watch = watch; // a target only never sends edits (and re-encodes only when it hashes)
        var frames = new System.Threading.CancellationTokenSource();
        var framing = Task.Run(async () =>
        {
            while (!frames.IsCancellationRequested)
            {
                lock (runner.Gate)
                {
                    var s = runner.Session;
                    if (s != null && s.State == ConnectionState.Live && s.IsSource)
                    {
                        var changes = watch.Poll(scene.Ids, scene.MeshKey, id => { var o = scene.ReadObject(id); return o == null ? null : o.Geometry; });
                        foreach (var c in changes) Emit(new JObj().Add("event", "mesh-edit").Add("id", c.ObjectId).Add("hash", c.Mesh == null ? null : c.Mesh.GeometryHash));
                        MeshWatch.Send(s, scene.Blobs, changes, id => Emit(new JObj().Add("event", "sent").Add("id", id)));
                    }
                }
                try { await Task.Delay(20, frames.Token).ConfigureAwait(false); } catch (TaskCanceledException) { return; }
            }
        });
        var run = Task.Run(() => runner.RunAsync());
        var commands = new HostCommands(runner, scene, watch, quirks);
        string line;
        while ((line = Console.In.ReadLine()) != null)
        {
            var a = line.Trim().Split(' ');
            try
            {
                if (!commands.Run(a)) break;
            }
            catch (Exception e)
            {
                Emit(new JObj().Add("event", "error").Add("message", e.GetType().Name + ": " + e.Message));
            }
        }
        frames.Cancel();
        framing.Wait(2000);
        runner.StopAsync().Wait();
        run.Wait(2000);
        return 0;
    }
}
