// NotSyncedRules: the mark a Unity source puts on what it cannot send (docs/adapters/unity.md "What is
// not synced"), from plain facts about a GameObject; the mark travels in snapshots and mesh edits and is
// never hashed.
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class NotSyncedRulesTests
    {
        static readonly string[] Kinds = { "armature", "skinning", "curve", "text", "grease_pencil", "modifiers", "instance", "bone_parent", "other" };

        static NotSyncedMark Mark(ObjectFacts f)
        {
            var m = NotSyncedRules.Mark(f);
            if (m == null) return null;
            CollectionAssert.Contains(Kinds, m.Kind, "a kind the protocol knows");
            Assert.That(m.Reason.Length, Is.InRange(1, 256), "the protocol's reason is 1-256 characters");
            return m;
        }

        [Test]
        public void AnObjectWhoseContentAllTravelsIsNotMarked()
        {
            Assert.IsNull(Mark(new ObjectFacts()));
            Assert.IsNull(Mark(new ObjectFacts { SubmeshTopologies = { "Triangles", "Triangles" } }));
            Assert.IsNull(Mark(new ObjectFacts { LodLevels = 1 }), "a LOD group of one level hides nothing");
            Assert.IsNull(NotSyncedRules.Mark(null));
        }

        [Test]
        public void ASkinnedMeshIsSkinningAndSaysWhatTravels()
        {
            var m = Mark(new ObjectFacts { Skinned = true, Bones = 24, BlendShapes = 1 });
            Assert.AreEqual("skinning", m.Kind);
            Assert.AreEqual("skinned mesh (SkinnedMeshRenderer, 24 bones, 1 blend shape) not sent: travels as an empty with its transform and materials", m.Reason);
        }

        [Test]
        public void TerrainParticlesAndOtherRenderersAreOther()
        {
            var t = Mark(new ObjectFacts { Terrain = true });
            Assert.AreEqual("other", t.Kind);
            StringAssert.Contains("heightmap", t.Reason);
            Assert.AreEqual("other", Mark(new ObjectFacts { Particles = true }).Kind);
            var sprite = Mark(new ObjectFacts { OtherRenderer = "SpriteRenderer" });
            Assert.AreEqual("other", sprite.Kind);
            Assert.AreEqual("SpriteRenderer not read: travels as an empty with its materials", sprite.Reason);
            StringAssert.StartsWith("LODGroup (3 levels): switching not synced", Mark(new ObjectFacts { LodLevels = 3 }).Reason);
            StringAssert.StartsWith("Light data", Mark(new ObjectFacts { Light = true }).Reason);
            StringAssert.StartsWith("Camera data", Mark(new ObjectFacts { Camera = true }).Reason);
        }

        [Test]
        public void ATextMeshIsText()
        {
            Assert.AreEqual("text", Mark(new ObjectFacts { Text = true }).Kind);
        }

        [Test]
        public void UvChannelsBesideTheFirstAreNamedAsUnityNamesThem()
        {
            var m = Mark(new ObjectFacts { ExtraUvChannels = { 1 } });
            Assert.AreEqual("other", m.Kind);
            Assert.AreEqual("UV channel uv2 not sent (the mesh blob carries uv only)", m.Reason);
            StringAssert.StartsWith("UV channels uv2, uv3, uv8 not sent", Mark(new ObjectFacts { ExtraUvChannels = { 1, 2, 7 } }).Reason);
        }

        [Test]
        public void SubmeshesThatAreNotTrianglesAreNamedWithTheirTopology()
        {
            var m = Mark(new ObjectFacts { SubmeshTopologies = { "Triangles", "Lines", "Points", "LineStrip" } });
            Assert.AreEqual("other", m.Kind);
            Assert.AreEqual("submeshes 1 (Lines), 2 (Points), 3 (LineStrip) not sent (the mesh blob carries faces only; their vertices travel loose)", m.Reason);
            Assert.AreEqual("submesh 0 (Quads) sent as triangles", Mark(new ObjectFacts { SubmeshTopologies = { "Quads" } }).Reason);
        }

        [Test]
        public void EveryLossIsInOneReasonAndSkinningWinsTheKind()
        {
            var m = Mark(new ObjectFacts { Text = true, Skinned = true });
            Assert.AreEqual("skinning", m.Kind);
            StringAssert.EndsWith("; TextMesh text not sent: travels as an empty", m.Reason);
            var mesh = Mark(new ObjectFacts { ExtraUvChannels = { 1 }, SubmeshTopologies = { "Triangles", "Lines" }, VertexColors = true });
            Assert.AreEqual("other", mesh.Kind);
            Assert.AreEqual("UV channel uv2 not sent (the mesh blob carries uv only); submesh 1 (Lines) not sent (the mesh blob carries faces only; their vertices travel loose); vertex colours not sent", mesh.Reason);
            Assert.AreEqual("text", Mark(new ObjectFacts { Text = true, VertexColors = true }).Kind);
        }

        [Test]
        public void ALongReasonIsCutTo256CharactersWithAnEllipsis()
        {
            var f = new ObjectFacts { Skinned = true, Terrain = true, Particles = true, Text = true, OtherRenderer = "LineRenderer", LodLevels = 4, Light = true, Camera = true, VertexColors = true };
            for (int c = 1; c < 8; c++) f.ExtraUvChannels.Add(c);
            var m = Mark(f);
            Assert.AreEqual(256, m.Reason.Length);
            StringAssert.EndsWith("…", m.Reason);
            Assert.AreEqual("x", NotSyncedRules.Cap("x"));
            // a surrogate pair is never cut in two
            var emoji = new string('a', 254) + "\U0001F600" + "tail";
            var cut = NotSyncedRules.Cap(emoji);
            Assert.AreEqual(new string('a', 254) + "…", cut);
        }

        [Test]
        public void TheMarkTravelsInTheSnapshotButIsNeverHashed()
        {
            var scene = new SceneData();
            var o = new SceneObject { Id = "u_skin", Name = "Hero", Type = "empty" };
            scene.Objects.Add(o);
            var bare = Canonical.SceneHash(scene);
            o.NotSynced = NotSyncedRules.Mark(new ObjectFacts { Skinned = true, Bones = 2 });
            Assert.AreEqual(bare, Canonical.SceneHash(scene), "not hashed");
            var wire = (Dictionary<string, object>)Json.Parse(Json.Write(Wire.Write(o)));
            var mark = (Dictionary<string, object>)wire["notSynced"];
            Assert.AreEqual("skinning", mark["kind"]);
            Assert.AreEqual(o.NotSynced.Reason, mark["reason"]);
            Assert.AreEqual("skinning", Wire.ReadObject(wire, "object").NotSynced.Kind, "read back as it was written");
        }

        [Test]
        public void AMeshEditCarriesTheMarkReadWithItAndClearsOneThatWentAway()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var tri = new MeshGeometry { Positions = new double[] { 0, 0, 0, 1, 0, 0, 0, 1, 0 }, FaceSizes = new[] { 3 }, Slots = new[] { 0 }, Corners = new[] { 0, 1, 2 } };
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source" } }, scene,
                t => sent.Add((Dictionary<string, object>)Json.Parse(t)), f => { }, scene.Blobs);
            s.Start(0);
            s.Receive("{\"v\":1,\"id\":\"o-w\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"welcome\",\"body\":{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}}");
            var changes = new List<MeshWatch.Change>
            {
                new MeshWatch.Change { ObjectId = "lit", Mesh = tri.Summary(), Blob = tri.Encoded(), HasMark = true, NotSynced = NotSyncedRules.Mark(new ObjectFacts { ExtraUvChannels = { 1 } }) },
                new MeshWatch.Change { ObjectId = "clean", Mesh = tri.Summary(), Blob = tri.Encoded(), HasMark = true },
                new MeshWatch.Change { ObjectId = "unread", Mesh = tri.Summary(), Blob = tri.Encoded() },
            };
            MeshWatch.Send(s, scene.Blobs, changes);
            // the orchestrator already holds the blob: the batch follows at once
            var query = sent.FindLast(m => (string)m["type"] == "blob_query");
            s.Receive("{\"v\":1,\"id\":\"o-need\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"blob_need\",\"body\":{\"ref\":\"" + query["id"] + "\",\"need\":[]}}");
            var batch = sent.FindLast(m => (string)m["type"] == "batch");
            Assert.IsNotNull(batch, "the mesh edits were sent");
            var muts = (List<object>)((Dictionary<string, object>)batch["body"])["mutations"];
            var props = new Dictionary<string, Dictionary<string, object>>();
            foreach (Dictionary<string, object> m in muts) props[(string)m["objectId"]] = (Dictionary<string, object>)m["props"];
            Assert.AreEqual("other", ((Dictionary<string, object>)props["lit"]["notSynced"])["kind"]);
            Assert.IsTrue(props["clean"].ContainsKey("notSynced"));
            Assert.IsNull(props["clean"]["notSynced"], "null clears a mark that went away");
            Assert.IsFalse(props["unread"].ContainsKey("notSynced"), "no mark read, none sent");
        }
    }
}
