// The host's line commands on stdin (one per line, its words split on spaces), each answered with JSON lines on
// stdout: local edits in this engine (move, stream, mark, set-texture, set-mesh, edit-mesh, source-failed), what it
// holds (state, transform, texture, mesh, watch), the importer's quirks (quirk-*), reload, and the benches.
using System;
using System.Collections.Generic;
using System.Globalization;
using VibeSync.Core;

sealed class HostCommands
{
    readonly Runner runner;
    readonly MemoryScene scene;
    readonly MeshWatch watch;
    readonly ImportQuirks quirks;

    public HostCommands(Runner runner, MemoryScene scene, MeshWatch watch, ImportQuirks quirks)
    {
        this.runner = runner;
        this.scene = scene;
        this.watch = watch;
        this.quirks = quirks;
    }

    static void Emit(JObj o) { Host.Emit(o); }

    /// <summary>The `state` answer: the hash and size of what this engine holds, and its session's counters.</summary>
    JObj State()
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

    /// <summary>Runs one command (its words); false for `stop`. A command that throws is reported by the caller.</summary>
    public bool Run(string[] a)
    {
        if (a[0] == "state") { lock (runner.Gate) Emit(State()); }
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
                o.NotSynced = NotSyncedRules.Mark(HostScene.Facts(new ArraySegment<string>(a, 2, a.Length - 2)));
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
            quirks.TruncateNames(int.Parse(a[1], CultureInfo.InvariantCulture));
            Emit(new JObj().Add("event", "ok"));
        }
        else if (a[0] == "quirk-crash-on-import")
        {
            quirks.CrashOnImport();
            Emit(new JObj().Add("event", "ok"));
        }
        else if (a[0] == "quirk-corrupt-mesh")
        {
            quirks.CorruptMesh(a[1]);
            Emit(new JObj().Add("event", "ok"));
        }
        else if (a[0] == "quirk-corrupt-texture")
        {
            quirks.CorruptTexture();
            Emit(new JObj().Add("event", "ok"));
        }
        else if (a[0] == "quirk-none") { quirks.None(); Emit(new JObj().Add("event", "ok")); }
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
                m.Textures = new List<Texture> { HostScene.OwnTexture(scene.Blobs, size) };
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
                o.Mesh = HostScene.OwnMesh(scene.Blobs, HostScene.Box(half));
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
            Emit(HostBench.Mesh(blob, runs));
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
        else if (a[0] == "bench") Emit(HostBench.Scene(int.Parse(a[1], CultureInfo.InvariantCulture), int.Parse(a[2], CultureInfo.InvariantCulture)));
        else if (a[0] == "stop") return false;
        else Emit(new JObj().Add("event", "error").Add("message", "unknown command " + a[0]));
        return true;
    }
}
