// vibesync-unity-host.exe: the engine-neutral core over an in-memory scene, as a real peer of the
// orchestrator (a source and/or a target), driven by line commands on stdin and reporting JSON
// lines on stdout. Used by adapters/unity/unity.test.ts and bench/; not part of the Unity package build.
//   env: VIBESYNC_URL, VIBESYNC_TOKEN, VIBESYNC_NAME, VIBESYNC_ROLES (source,target), VIBESYNC_TARGETS,
//        VIBESYNC_GENERATION, VIBESYNC_OBJECTS (a source's initial scene size), VIBESYNC_MESHES=1 (a source's
//        meshes are real geometry, uploaded as blobs; otherwise summaries only), VIBESYNC_TEXTURES=1 (its
//        material carries a base-colour PNG of its own, uploaded as a texture blob), VIBESYNC_MARKS=1 (its u_1 stands for a
//        skinned mesh: an empty carrying the notSynced mark the Unity layer gives a SkinnedMeshRenderer)
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using VibeSync.Core;

static class Host
{
    static readonly object Out = new object();

    static void Emit(JObj o) { lock (Out) { Console.Out.WriteLine(Json.Write(o)); Console.Out.Flush(); } }

    static string Env(string k, string d) { var v = Environment.GetEnvironmentVariable(k); return string.IsNullOrEmpty(v) ? d : v; }

    /// <summary>A box of half-size `half` as canonical geometry (+Y up, right-handed): 8 vertices, 6 quads, UVs per corner, slot 0.</summary>
    static MeshGeometry Box(double half)
    {
        var pos = new List<double>();
        foreach (var x in new[] { -half, half }) foreach (var y in new[] { -half, half }) foreach (var z in new[] { -half, half }) { pos.Add(x); pos.Add(y); pos.Add(z); }
        var uvs = new List<double>();
        for (int f = 0; f < 6; f++) uvs.AddRange(new[] { 0, 0, 1, 0, 1, 1, 0, 1.0 });
        return new MeshGeometry
        {
            Positions = pos.ToArray(), FaceSizes = new[] { 4, 4, 4, 4, 4, 4 }, Slots = new int[6], Uvs = uvs.ToArray(),
            Corners = new[] { 0, 1, 3, 2, 4, 6, 7, 5, 0, 4, 5, 1, 2, 3, 7, 6, 0, 2, 6, 4, 1, 5, 7, 3 },
        };
    }

    /// <summary>A mesh this engine made itself: its blob kept in the store (to upload), its summary from the blob.</summary>
    static MeshSummary OwnMesh(BlobStore blobs, MeshGeometry g)
    {
        var blob = MeshBlob.Encode(g);
        blobs.Add(blob);
        return MeshBlob.Summary(blob);
    }

    /// <summary>A checker PNG this engine made, as the material's base-colour texture (its file kept in the store, to upload).</summary>
    static Texture OwnTexture(BlobStore blobs, int size)
    {
        return TextureFiles.Own("base_color", Png.Checker(size, new byte[] { 204, 51, 26 }), blobs);
    }

    /// <summary>
    /// Facts about a GameObject as words (what UnityFacts reads in the editor): skinned, bones=N, blendshapes=N, terrain,
    /// particles, text, renderer=TypeName, lod=N, light, camera, uv=1,2 (channels besides 0), topo=Triangles,Lines (one per
    /// submesh), colors.
    /// </summary>
    static ObjectFacts Facts(IEnumerable<string> words)
    {
        var f = new ObjectFacts();
        foreach (var w in words)
        {
            var kv = w.Split(new[] { '=' }, 2);
            var v = kv.Length > 1 ? kv[1] : "";
            switch (kv[0])
            {
                case "skinned": f.Skinned = true; break;
                case "bones": f.Bones = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "blendshapes": f.BlendShapes = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "terrain": f.Terrain = true; break;
                case "particles": f.Particles = true; break;
                case "text": f.Text = true; break;
                case "renderer": f.OtherRenderer = v; break;
                case "lod": f.LodLevels = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "light": f.Light = true; break;
                case "camera": f.Camera = true; break;
                case "uv": foreach (var c in v.Split(',')) f.ExtraUvChannels.Add(int.Parse(c, CultureInfo.InvariantCulture)); break;
                case "topo": f.SubmeshTopologies.AddRange(v.Split(',')); break;
                case "colors": f.VertexColors = true; break;
                case "": break;
                default: throw new ArgumentException("unknown fact " + w);
            }
        }
        return f;
    }

    static SceneData Generate(int n, BlobStore meshes, BlobStore textures, bool marks = false)
    {
        var s = new SceneData();
        s.Materials.Add(new Material { Id = "u_mat_0", Name = "Unity Lit", BaseColor = new[] { 0.8, 0.2, 0.1, 1.0 }, Metallic = 0, Roughness = 0.5 });
        if (textures != null) s.Materials[0].Textures.Add(OwnTexture(textures, 16));
        for (int i = 0; i < n; i++)
        {
            var o = new SceneObject { Id = "u_" + i, Name = "Cube (" + i + ")", Type = "mesh", Parent = i > 0 && i % 10 != 0 ? "u_" + (i - i % 10) : null };
            o.Transform.Position = new[] { i * 0.37, (i % 7) * 0.5, -(i % 13) * 0.25 };
            o.Transform.Rotation = new[] { 0, Math.Sin(i * 0.01), 0, Math.Cos(i * 0.01) };
            o.Mesh = meshes != null ? OwnMesh(meshes, Box(0.5)) : new MeshSummary { VertexCount = 24, FaceCount = 6, GeometryHash = new string('a', 64), Min = new[] { -0.5, -0.5, -0.5 }, Max = new[] { 0.5, 0.5, 0.5 } };
            o.Materials.Add("u_mat_0");
            if (marks && i == 1)
            {
                // what the Unity layer sends for a SkinnedMeshRenderer: an empty with its transform and materials, marked
                o.Type = "empty";
                o.Mesh = null;
                o.NotSynced = NotSyncedRules.Mark(Facts(new[] { "skinned", "bones=24", "blendshapes=3" }));
            }
            s.Objects.Add(o);
        }
        return s;
    }

    static JObj State(Runner runner, MemoryScene scene)
    {
        var s = runner.Session;
        var st = new JObj().Add("event", "state").Add("hash", scene.Hash()).Add("objects", scene.Count);
        if (s != null)
            st.Add("gen", s.Generation).Add("live", s.State == ConnectionState.Live).Add("committed", s.Committed).Add("rolledBack", s.RolledBack)
              .Add("purged", s.Purged).Add("open", s.OpenTransactions).Add("unacked", s.Unacked.Count).Add("errors", s.Errors)
              .Add("uploads", s.PendingUploads).Add("blobsSent", s.BlobsSent)
              .Add("liveGranted", s.LiveGranted).Add("liveFrames", s.LiveFramesReceived).Add("liveApplied", s.LiveRecordsApplied).Add("liveSkipped", s.LiveRecordsSkipped)
              .Add("liveSent", s.LiveFramesSent).Add("liveSettled", s.LiveSettledFrame).Add("liveRefused", s.LiveRefused.Count);
        st.Add("blobs", scene.Blobs.Count);
        return st;
    }

    static double Median(List<double> xs) { xs.Sort(); return xs[(xs.Count - 1) / 2]; }

    /// <summary>In-process figures (ms, median of `runs`): a snapshot of `n` objects (JSON + scene hash), and tx apply + hash for 1 and for `n` moves.</summary>
    static JObj Bench(int n, int runs)
    {
        var scene = new MemoryScene();
        scene.Replace(Generate(n, null, null));
        var data = scene.ToData();
        var snapshot = new List<double>();
        var tx1 = new List<double>();
        var txN = new List<double>();
        int bytes = 0;
        for (int r = 0; r < runs; r++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var text = Json.Write(new JObj().Add("reason", "initial").Add("scene", Wire.Write(data)).Add("hash", Canonical.SceneHash(data)));
            snapshot.Add(sw.Elapsed.TotalMilliseconds);
            bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            foreach (var count in new[] { 1, n })
            {
                var muts = new List<object>();
                for (int i = 0; i < count; i++)
                    muts.Add(Json.Parse("{\"mid\":\"b" + i + "\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"u_" + i + "\",\"transform\":{\"position\":[" + (r + 0.5) + ",1,2]}}"));
                var box = new TxSandbox(scene);
                sw.Restart();
                box.Begin("tx-" + r + "-" + count, muts);
                box.Commit("tx-" + r + "-" + count);
                (count == 1 ? tx1 : txN).Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        return new JObj().Add("event", "bench").Add("objects", n).Add("runs", runs).Add("snapshotMs", Median(snapshot)).Add("snapshotBytes", bytes)
            .Add("tx1Ms", Median(tx1)).Add("txAllMs", Median(txN));
    }

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
        if (n > 0) scene.Replace(Generate(n, Env("VIBESYNC_MESHES", "") == "1" ? scene.Blobs : null, Env("VIBESYNC_TEXTURES", "") == "1" ? scene.Blobs : null, Env("VIBESYNC_MARKS", "") == "1"));
        var seen = new HashSet<MeshGeometry>(); // every mesh this engine has held (for quirk-corrupt-mesh)
        Func<SceneObject, SceneObject> faithful = o => { if (o.Geometry != null) seen.Add(o.Geometry); return o; };
        scene.Import = faithful;
        var seenFiles = new HashSet<byte[]>(); // every image file this engine has held (for quirk-corrupt-texture)
        Func<Material, Material> faithfulMaterial = m => { foreach (var t in m.Textures) if (t.Bytes != null) seenFiles.Add(t.Bytes); return m; };
        scene.ImportMaterial = faithfulMaterial;
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
        string line;
        while ((line = Console.In.ReadLine()) != null)
        {
            var a = line.Trim().Split(' ');
            try
            {
                if (a[0] == "state") { lock (runner.Gate) Emit(State(runner, scene)); }
                else if (a[0] == "move")
                {
                    // a local edit in Unity's axes (left-handed): converted to canonical at the edge
                    var p = Coordinates.UnityToCanonicalPosition(double.Parse(a[2], CultureInfo.InvariantCulture), double.Parse(a[3], CultureInfo.InvariantCulture), double.Parse(a[4], CultureInfo.InvariantCulture));
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        o.Transform.Position = p;
                        scene.WriteObject(o);
                        var id = runner.Session.SendEdits(new List<JObj> { new JObj().Add("op", "set_transform").Add("objectId", a[1]).Add("transform", new JObj().Add("position", p)) });
                        Emit(new JObj().Add("event", "sent").Add("id", id));
                    }
                }
                else if (a[0] == "stream")
                {
                    // a streamed move in Unity's axes (a drag, playback): object a[1]'s whole transform, as held after the move, goes
                    // as a live frame when the lane is granted, else as a batch (Session.SendMoves); answers "sent" with "live:<n>" or the id
                    var p = Coordinates.UnityToCanonicalPosition(double.Parse(a[2], CultureInfo.InvariantCulture), double.Parse(a[3], CultureInfo.InvariantCulture), double.Parse(a[4], CultureInfo.InvariantCulture));
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        o.Transform.Position = p;
                        scene.WriteObject(o);
                        var id = runner.Session.SendMoves(new[] { scene.ReadObject(a[1]) });
                        Emit(new JObj().Add("event", "sent").Add("id", id));
                    }
                }
                else if (a[0] == "mark")
                {
                    // object a[1] now has these facts (words, see Facts): its notSynced mark (NotSyncedRules) is held and sent as
                    // set_props {notSynced}; no facts clears it (null)
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        o.NotSynced = NotSyncedRules.Mark(Facts(new ArraySegment<string>(a, 2, a.Length - 2)));
                        scene.WriteObject(o);
                        var id = runner.Session.SendEdits(new List<JObj> { new JObj().Add("op", "set_props").Add("objectId", a[1]).Add("props", new JObj().Add("notSynced", Kinds.Write(o.NotSynced))) });
                        Emit(new JObj().Add("event", "sent").Add("id", id).Add("kind", o.NotSynced == null ? null : o.NotSynced.Kind).Add("reason", o.NotSynced == null ? null : o.NotSynced.Reason));
                    }
                }
                else if (a[0] == "transform")
                {
                    // the transform object a[1] holds: canonical (as it hashes) and in Unity's axes (as a Transform would show it)
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        var e = new JObj().Add("event", "transform").Add("id", a[1]).Add("held", o != null);
                        if (o != null)
                            e.Add("position", o.Transform.Position).Add("rotation", o.Transform.Rotation).Add("scale", o.Transform.Scale)
                             .Add("unityPosition", Coordinates.CanonicalToUnityPosition(o.Transform.Position)).Add("unityRotation", Coordinates.CanonicalToUnityRotation(o.Transform.Rotation));
                        Emit(e);
                    }
                }
                else if (a[0] == "quirk-truncate-names")
                {
                    int max = int.Parse(a[1], CultureInfo.InvariantCulture);
                    scene.Import = o => { if (o.Name.Length > max) o.Name = o.Name.Substring(0, max); return o; };
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "quirk-crash-on-import")
                {
                    scene.Import = o => { if (o.Name.StartsWith("crash", StringComparison.Ordinal)) throw new VibeSyncException("TARGET_FAILED", "Unity crash during import of " + o.Id); return o; };
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "quirk-corrupt-mesh")
                {
                    // an importer that moves one vertex of object a[1] by 1 cm whenever that object takes a mesh it has not held
                    // before (a rollback or resync back to a mesh it held is kept as it is)
                    var victim = a[1];
                    scene.Import = o =>
                    {
                        if (o.Id == victim && o.Geometry != null && !seen.Contains(o.Geometry))
                        {
                            var p = (double[])o.Geometry.Positions.Clone();
                            p[0] = MeshBlob.Fround(p[0] + 0.01);
                            o.Geometry = new MeshGeometry { Positions = p, FaceSizes = o.Geometry.FaceSizes, Slots = o.Geometry.Slots, Corners = o.Geometry.Corners, Uvs = o.Geometry.Uvs };
                        }
                        return faithful(o);
                    };
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "quirk-corrupt-texture")
                {
                    // an importer that changes the last byte of every image file it has not held before (its header, so its size,
                    // is intact; its SHA-256 is not); a rollback or resync back to a file it held is kept as it is
                    scene.ImportMaterial = m =>
                    {
                        for (int i = 0; i < m.Textures.Count; i++)
                        {
                            var t = m.Textures[i];
                            if (t.Bytes == null || seenFiles.Contains(t.Bytes)) continue;
                            var bad = (byte[])t.Bytes.Clone();
                            bad[bad.Length - 1] ^= 0xff;
                            m.Textures[i] = new Texture { Slot = t.Slot, Bytes = bad, Blob = true };
                        }
                        return faithfulMaterial(m);
                    };
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "quirk-none") { scene.Import = faithful; scene.ImportMaterial = faithfulMaterial; Emit(new JObj().Add("event", "ok")); }
                else if (a[0] == "texture")
                {
                    // the image files material a[1] holds: their bytes, and the hash and size reported from them
                    lock (runner.Gate)
                    {
                        var m = scene.ReadMaterial(a[1]);
                        var list = new List<object>();
                        if (m != null)
                            foreach (var t in m.Textures)
                                list.Add(new JObj().Add("slot", t.Slot).Add("hash", t.Hash).Add("width", t.Width).Add("height", t.Height).Add("format", t.Format)
                                    .Add("bytes", t.Bytes == null ? null : Convert.ToBase64String(t.Bytes)));
                        Emit(new JObj().Add("event", "texture").Add("id", a[1]).Add("held", m != null).Add("textures", list));
                    }
                }
                else if (a[0] == "set-texture")
                {
                    // a local edit: material a[1]'s base colour becomes a new checker PNG of a[2] pixels a side; its file is
                    // uploaded (ask, then send) before the mutation naming it
                    int size = int.Parse(a[2], CultureInfo.InvariantCulture);
                    lock (runner.Gate)
                    {
                        var m = scene.ReadMaterial(a[1]);
                        m.Textures = new List<Texture> { OwnTexture(scene.Blobs, size) };
                        scene.WriteMaterial(m);
                        var held = scene.ReadMaterial(a[1]);
                        runner.Session.AfterUpload(runner.Session.ReferencedBlobs(new SceneObject[0], new[] { held }), () =>
                        {
                            var sent = runner.Session.SendEdits(new List<JObj> { new JObj().Add("op", "upsert_material").Add("material", Wire.Write(held)) });
                            Emit(new JObj().Add("event", "sent").Add("id", sent));
                        });
                    }
                }
                else if (a[0] == "mesh")
                {
                    // the mesh this engine holds, re-encoded from its own geometry: the bytes and their hash
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        if (o == null || o.Geometry == null) Emit(new JObj().Add("event", "mesh").Add("id", a[1]).Add("held", false));
                        else
                        {
                            var blob = MeshBlob.Encode(o.Geometry);
                            Emit(new JObj().Add("event", "mesh").Add("id", a[1]).Add("held", true).Add("hash", Canonical.Sha256Hex(blob)).Add("vertices", o.Geometry.VertexCount)
                                .Add("faces", o.Geometry.FaceCount).Add("blob", Convert.ToBase64String(blob)));
                        }
                    }
                }
                else if (a[0] == "set-mesh")
                {
                    // a local mesh edit: the object's mesh becomes a box of half-size a[2]; its blob is uploaded before the mutation names it
                    double half = double.Parse(a[2], CultureInfo.InvariantCulture);
                    lock (runner.Gate)
                    {
                        var o = scene.ReadObject(a[1]);
                        o.Mesh = OwnMesh(scene.Blobs, Box(half));
                        o.Geometry = null;
                        scene.WriteObject(o);
                        var held = scene.ReadObject(a[1]).Mesh;
                        var id = a[1];
                        runner.Session.AfterUpload(new List<string> { held.GeometryHash }, () =>
                        {
                            var sent = runner.Session.SendEdits(new List<JObj> { new JObj().Add("op", "set_props").Add("objectId", id).Add("props", new JObj().Add("mesh", Wire.Write(held))) });
                            Emit(new JObj().Add("event", "sent").Add("id", sent));
                        });
                    }
                }
                else if (a[0] == "edit-mesh")
                {
                    // a user's edit in this engine: vertex 0 of object a[1] moves by a[2] metres along x; nothing is sent here,
                    // the next frame's MeshWatch finds it
                    double dx = double.Parse(a[2], CultureInfo.InvariantCulture);
                    lock (runner.Gate)
                    {
                        var g = scene.ReadObject(a[1]).Geometry;
                        var p = (double[])g.Positions.Clone();
                        p[0] = MeshBlob.Fround(p[0] + dx);
                        scene.EditGeometry(a[1], new MeshGeometry { Positions = p, FaceSizes = g.FaceSizes, Slots = g.Slots, Corners = g.Corners, Uvs = g.Uvs });
                    }
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "bench-mesh")
                {
                    // the mesh object a[1] holds, in process (median of a[2] after one warm-up): decode its blob and hold it as
                    // float32, then re-encode what is held and hash it
                    int runs = int.Parse(a[2], CultureInfo.InvariantCulture);
                    byte[] blob;
                    lock (runner.Gate) blob = scene.ReadObject(a[1]).Geometry.Encoded();
                    var decode = new List<double>();
                    var encode = new List<double>();
                    for (int r = 0; r <= runs; r++)
                    {
                        var sw = System.Diagnostics.Stopwatch.StartNew();
                        var g = MeshBlob.Hold(MeshBlob.Decode(blob));
                        double d = sw.Elapsed.TotalMilliseconds;
                        sw.Restart();
                        var hash = Canonical.Sha256Hex(MeshBlob.Encode(g));
                        double e = sw.Elapsed.TotalMilliseconds;
                        if (hash != Canonical.Sha256Hex(blob)) throw new VibeSyncException("TARGET_FAILED", "the re-encoded mesh differs");
                        if (r == 0) continue;
                        decode.Add(d);
                        encode.Add(e);
                    }
                    Emit(new JObj().Add("event", "bench-mesh").Add("bytes", blob.Length).Add("decodeMs", Median(decode)).Add("encodeHashMs", Median(encode)));
                }
                else if (a[0] == "watch")
                {
                    lock (runner.Gate) Emit(new JObj().Add("event", "watch").Add("reads", watch.Reads));
                }
                else if (a[0] == "source-failed")
                {
                    lock (runner.Gate) runner.Session.Send("error", new JObj().Add("code", "SOURCE_FAILED").Add("message", "export failed").Add("ref", null).Add("txId", null));
                    Emit(new JObj().Add("event", "ok"));
                }
                else if (a[0] == "reload") { runner.ReloadAsync().Wait(); Emit(new JObj().Add("event", "ok")); }
                else if (a[0] == "bench") Emit(Bench(int.Parse(a[1], CultureInfo.InvariantCulture), int.Parse(a[2], CultureInfo.InvariantCulture)));
                else if (a[0] == "stop") break;
                else Emit(new JObj().Add("event", "error").Add("message", "unknown command " + a[0]));
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
