// MeshWatch, the per-frame detection of meshes edited in the engine: cheap keys every frame, a read
// and a hash only when a key moved or an event marked the object, and never an echo of a mesh that
// came from the orchestrator.
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class MeshWatchTests
    {
        static MeshGeometry Triangle(double x)
        {
            return new MeshGeometry { Positions = new[] { x, 0, 0, 1, 0, 0, 0, 1, 0 }, FaceSizes = new[] { 3 }, Slots = new[] { 0 }, Corners = new[] { 0, 1, 2 } };
        }

        static List<MeshWatch.Change> Poll(MeshWatch w, MemoryScene scene)
        {
            return w.Poll(scene.Ids, scene.MeshKey, id => scene.ReadObject(id).Geometry);
        }

        static MemoryScene SceneWith(MeshWatch w, out MeshGeometry g)
        {
            var scene = new MemoryScene { Watch = w };
            g = Triangle(0);
            var blob = MeshBlob.Encode(g);
            scene.Blobs.Add(blob);
            scene.WriteObject(new SceneObject { Id = "tri", Name = "Tri", Type = "mesh", Mesh = MeshBlob.Summary(blob) });
            scene.WriteObject(new SceneObject { Id = "plain", Name = "Empty" });
            return scene;
        }

        [Test]
        public void AnUnchangedSceneIsNeverReadBack()
        {
            var w = new MeshWatch();
            MeshGeometry g;
            var scene = SceneWith(w, out g);
            for (int i = 0; i < 10; i++) Assert.IsEmpty(Poll(w, scene));
            Assert.AreEqual(0, w.Reads);
        }

        [Test]
        public void AnEditIsFoundOnceWithTheBlobOfWhatTheEngineHolds()
        {
            var w = new MeshWatch();
            MeshGeometry g;
            var scene = SceneWith(w, out g);
            Poll(w, scene);
            var edited = Triangle(0.5);
            scene.EditGeometry("tri", edited);
            var changes = Poll(w, scene);
            Assert.AreEqual(1, changes.Count);
            Assert.AreEqual("tri", changes[0].ObjectId);
            CollectionAssert.AreEqual(MeshBlob.Encode(edited), changes[0].Blob);
            Assert.AreEqual(Canonical.Sha256Hex(changes[0].Blob), changes[0].Mesh.GeometryHash);
            Assert.IsEmpty(Poll(w, scene), "sent once");
            Assert.AreEqual(1, w.Reads);
        }

        [Test]
        public void AMeshWrittenFromTheOrchestratorIsNotEchoed()
        {
            var w = new MeshWatch();
            MeshGeometry g;
            var scene = SceneWith(w, out g);
            Poll(w, scene);
            var next = MeshBlob.Encode(Triangle(2));
            scene.Blobs.Add(next);
            var o = scene.ReadObject("tri");
            o.Mesh = MeshBlob.Summary(next);
            o.Geometry = null;
            scene.WriteObject(o); // a transaction applied here
            Assert.IsEmpty(Poll(w, scene));
        }

        [Test]
        public void AMarkedObjectIsReadButAnUnchangedMeshIsNotSent()
        {
            var w = new MeshWatch();
            MeshGeometry g;
            var scene = SceneWith(w, out g);
            w.Mark("tri");
            Assert.IsEmpty(Poll(w, scene));
            Assert.AreEqual(1, w.Reads, "read because it was marked");
            Assert.IsEmpty(Poll(w, scene));
            Assert.AreEqual(1, w.Reads, "the mark is spent");
        }
    }
}
