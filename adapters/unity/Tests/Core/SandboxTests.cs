// Transactions over an IScene: apply, hash what the engine holds, commit, and roll back to the exact previous state.
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class SandboxTests
    {
        static MemoryScene Scene()
        {
            var s = new MemoryScene();
            s.WriteMaterial(new Material { Id = "mat-red", Name = "Red", BaseColor = new[] { 0.8, 0.05, 0.05, 1.0 } });
            var cube = new SceneObject { Id = "obj-cube", Name = "Cube", Type = "mesh" };
            cube.Materials.Add("mat-red");
            s.WriteObject(cube);
            s.WriteObject(new SceneObject { Id = "obj-lamp", Name = "Lamp", Type = "light", Parent = "obj-cube" });
            return s;
        }

        static List<object> Muts(string json) { return (List<object>)Json.Parse(json); }

        const string Tx = "[" +
            "{\"mid\":\"1\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"obj-cube\",\"transform\":{\"position\":[1,2,3]}}," +
            "{\"mid\":\"2\",\"targets\":[\"unity\"],\"op\":\"set_props\",\"objectId\":\"obj-cube\",\"props\":{\"name\":\"Box\",\"materials\":[]}}," +
            "{\"mid\":\"3\",\"targets\":[\"unity\"],\"op\":\"delete\",\"objectId\":\"obj-lamp\"}," +
            "{\"mid\":\"4\",\"targets\":[\"unity\"],\"op\":\"set_material\",\"materialId\":\"mat-red\",\"changes\":{\"roughness\":0.25}}," +
            "{\"mid\":\"5\",\"targets\":[\"unity\"],\"op\":\"create\",\"object\":{\"id\":\"obj-new\",\"name\":\"New\",\"type\":\"empty\",\"parent\":null," +
            "\"transform\":{\"position\":[0,0,0],\"rotation\":[0,0,0,1],\"scale\":[1,1,1]},\"mesh\":null,\"materials\":[]}}]";

        [Test]
        public void TheTransactionHashCoversTheFinalStateOfEveryTouchedSubject()
        {
            var scene = Scene();
            var hash = new TxSandbox(scene).Begin("tx-1", Muts(Tx));
            var objs = new Dictionary<string, SceneObject> { { "obj-cube", scene.ReadObject("obj-cube") }, { "obj-lamp", null }, { "obj-new", scene.ReadObject("obj-new") } };
            var mats = new Dictionary<string, Material> { { "mat-red", scene.ReadMaterial("mat-red") } };
            Assert.AreEqual(Canonical.TxHash(objs, mats), hash);
            StringAssert.Contains("\"obj-lamp\":null", Canonical.TxCanonical(objs, mats));
            Assert.AreEqual("Box", scene.ReadObject("obj-cube").Name);
        }

        [Test]
        public void CommitKeepsAndRollbackRestoresExactly()
        {
            var scene = Scene();
            var before = scene.Hash();
            var box = new TxSandbox(scene);
            box.Begin("tx-1", Muts(Tx));
            Assert.AreNotEqual(before, scene.Hash());
            Assert.IsTrue(box.Rollback("tx-1"));
            Assert.AreEqual(before, scene.Hash());
            Assert.IsNull(scene.ReadObject("obj-new"));
            Assert.AreEqual("obj-cube", scene.ReadObject("obj-lamp").Parent);

            box.Begin("tx-2", Muts(Tx));
            var after = scene.Hash();
            Assert.IsTrue(box.Commit("tx-2"));
            Assert.IsFalse(box.Rollback("tx-2"));
            Assert.AreEqual(after, scene.Hash());
        }

        [Test]
        public void AFailingMutationLeavesNothingBehind()
        {
            var scene = Scene();
            var before = scene.Hash();
            var box = new TxSandbox(scene);
            var bad = "[{\"mid\":\"1\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"obj-cube\",\"transform\":{\"position\":[5,5,5]}}," +
                      "{\"mid\":\"2\",\"targets\":[\"unity\"],\"op\":\"delete\",\"objectId\":\"obj-missing\"}]";
            var e = Assert.Throws<VibeSyncException>(() => box.Begin("tx-1", Muts(bad)));
            Assert.AreEqual("UNKNOWN_OBJECT", e.Code);
            Assert.AreEqual(before, scene.Hash());
            Assert.AreEqual(0, box.OpenCount);
            var unknown = "[{\"mid\":\"1\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"obj-cube\",\"transform\":{\"position\":[5,5,5],\"skew\":1}}]";
            Assert.AreEqual("UNKNOWN_FIELD", Assert.Throws<VibeSyncException>(() => box.Begin("tx-2", Muts(unknown))).Code);
            Assert.AreEqual(before, scene.Hash());
        }
    }
}
