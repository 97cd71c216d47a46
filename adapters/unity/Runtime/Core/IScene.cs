// What the core needs from an engine: read, write and remove objects and materials, in canonical
// terms. The Unity layer implements it over GameObjects (converting axes at the edge); the host and
// the tests use MemoryScene. Reads must return what the engine holds (after import), never an echo.
using System.Collections.Generic;

namespace VibeSync.Core
{
    public interface IScene
    {
        IEnumerable<SceneObject> Objects { get; }
        IEnumerable<Material> Materials { get; }
        /// <summary>The object as the engine holds it now (a copy), or null.</summary>
        SceneObject ReadObject(string id);
        Material ReadMaterial(string id);
        void WriteObject(SceneObject o);
        void RemoveObject(string id);
        void WriteMaterial(Material m);
        void RemoveMaterial(string id);
    }

    /// <summary>
    /// Optional, for an engine where reading a whole object is costly (Unity reads its mesh back): a live frame's transform
    /// written in place, canonical in, converted at the engine's edge like WriteObject. False when the object is not held.
    /// Without it the core applies a live record as a set_transform is applied: ReadObject, the transform replaced, WriteObject.
    /// </summary>
    public interface ILiveScene
    {
        bool WriteLiveTransform(string id, Transform t);
    }

    /// <summary>
    /// An in-memory engine that holds real meshes and texture files: a mesh that arrives as a blob is
    /// decoded from `Blobs` and held as float32 geometry, and reads report the summary of re-encoding
    /// that geometry; a texture blob is held as its file's bytes, and reads report that file's SHA-256 and
    /// the size its header declares (TextureFiles; a texture whose file it does not hold is left out).
    /// `Import` and `ImportMaterial` let a test make it hold something other than what it was given, as a real engine may.
    /// </summary>
    public sealed class MemoryScene : IScene
    {
        readonly Dictionary<string, SceneObject> objects = new Dictionary<string, SceneObject>(System.StringComparer.Ordinal);
        readonly Dictionary<string, Material> materials = new Dictionary<string, Material>(System.StringComparer.Ordinal);
        public System.Func<SceneObject, SceneObject> Import = o => o;
        public System.Func<Material, Material> ImportMaterial = m => m;
        public BlobStore Blobs = new BlobStore();
        /// <summary>Meshes decoded from blobs, by blob hash: objects with the same blob share one, as Unity objects share one Mesh asset.</summary>
        readonly Dictionary<string, MeshGeometry> decoded = new Dictionary<string, MeshGeometry>(System.StringComparer.Ordinal);

        public IEnumerable<SceneObject> Objects { get { foreach (var id in new List<string>(objects.Keys)) yield return ReadObject(id); } }
        /// <summary>When set, every mesh written here is recorded as the one the orchestrator knows (never echoed as an edit).</summary>
        public MeshWatch Watch;
        /// <summary>Local edits of each object's geometry (Unity's dirty count, for the host).</summary>
        readonly Dictionary<string, long> edits = new Dictionary<string, long>(System.StringComparer.Ordinal);

        public IEnumerable<string> Ids { get { return new List<string>(objects.Keys); } }

        /// <summary>The cheap per-frame key MeshWatch compares: vertex count and local edit count, as the Unity layer uses vertex and dirty counts.</summary>
        public long MeshKey(string id)
        {
            SceneObject o;
            long n;
            edits.TryGetValue(id, out n);
            return MeshWatch.Key(objects.TryGetValue(id, out o) && o.Geometry != null ? o.Geometry.VertexCount : -1, n, 0);
        }

        /// <summary>A user's edit in this engine: the object's geometry changes in place and nothing is sent (MeshWatch finds it).</summary>
        public void EditGeometry(string id, MeshGeometry g)
        {
            objects[id].Geometry = g;
            long n;
            edits.TryGetValue(id, out n);
            edits[id] = n + 1;
        }

        public IEnumerable<Material> Materials { get { foreach (var id in new List<string>(materials.Keys)) yield return ReadMaterial(id); } }
        public int Count { get { return objects.Count; } }

        public SceneObject ReadObject(string id)
        {
            SceneObject o;
            if (!objects.TryGetValue(id, out o)) return null;
            var r = o.Clone();
            if (r.Geometry != null) r.Mesh = r.Geometry.Summary(); // what it holds, re-encoded: never the wire's hash
            return r;
        }

        /// <summary>The material as held, its textures reported from the files held (never the wire's hash or size).</summary>
        public Material ReadMaterial(string id)
        {
            Material m;
            if (!materials.TryGetValue(id, out m)) return null;
            var r = m.Clone();
            r.Textures = TextureFiles.ReportAll(m.Textures);
            return r;
        }

        public void WriteObject(SceneObject o)
        {
            var held = o.Clone();
            held.Geometry = MeshImport.Resolve(o.Mesh, o.Geometry, Blobs, o.Id, decoded);
            held = Import(held);
            objects[o.Id] = held;
            if (Watch != null) Watch.Known(o.Id, MeshKey(o.Id), held.Geometry == null ? null : held.Geometry.Summary().GeometryHash);
        }

        public void RemoveObject(string id)
        {
            objects.Remove(id);
            if (Watch != null) Watch.Forget(id);
        }

        public void WriteMaterial(Material m)
        {
            var held = m.Clone();
            held.Textures = TextureFiles.HoldAll(m.Textures, Blobs);
            materials[m.Id] = ImportMaterial(held);
        }
        public void RemoveMaterial(string id) { materials.Remove(id); }

        public void Replace(SceneData s)
        {
            objects.Clear();
            materials.Clear();
            foreach (var o in s.Objects) WriteObject(o);
            foreach (var m in s.Materials) WriteMaterial(m);
        }

        public SceneData ToData()
        {
            var s = new SceneData();
            foreach (var id in objects.Keys) s.Objects.Add(ReadObject(id));
            foreach (var id in materials.Keys) s.Materials.Add(ReadMaterial(id));
            s.Objects.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            s.Materials.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return s;
        }

        public string Hash()
        {
            var os = new List<SceneObject>();
            foreach (var id in objects.Keys) os.Add(ReadObject(id));
            return Canonical.SceneHash(os, new List<Material>(Materials));
        }
    }
}
