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

    /// <summary>An in-memory engine. `Import` lets a test make it hold something other than what it was given, as a real engine may.</summary>
    public sealed class MemoryScene : IScene
    {
        readonly Dictionary<string, SceneObject> objects = new Dictionary<string, SceneObject>(System.StringComparer.Ordinal);
        readonly Dictionary<string, Material> materials = new Dictionary<string, Material>(System.StringComparer.Ordinal);
        public System.Func<SceneObject, SceneObject> Import = o => o;

        public IEnumerable<SceneObject> Objects { get { return objects.Values; } }
        public IEnumerable<Material> Materials { get { return materials.Values; } }
        public int Count { get { return objects.Count; } }

        public SceneObject ReadObject(string id) { SceneObject o; return objects.TryGetValue(id, out o) ? o.Clone() : null; }
        public Material ReadMaterial(string id) { Material m; return materials.TryGetValue(id, out m) ? m.Clone() : null; }
        public void WriteObject(SceneObject o) { objects[o.Id] = Import(o.Clone()); }
        public void RemoveObject(string id) { objects.Remove(id); }
        public void WriteMaterial(Material m) { materials[m.Id] = m.Clone(); }
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
            foreach (var o in objects.Values) s.Objects.Add(o.Clone());
            foreach (var m in materials.Values) s.Materials.Add(m.Clone());
            s.Objects.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            s.Materials.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return s;
        }

        public string Hash() { return Canonical.SceneHash(Objects, Materials); }
    }
}
