// The plain facts NotSyncedRules (Runtime/Core) decides an object's notSynced mark from, read off a
// GameObject: its components, and the MeshFilter's mesh (UV channels, submesh topologies, vertex
// colours). Reading only: nothing here changes the scene.
using UnityEngine;
using UnityEngine.Rendering;
using VibeSync.Core;

namespace VibeSync.Editor
{
    public static class UnityFacts
    {
        public static ObjectFacts Read(GameObject go)
        {
            var f = new ObjectFacts();
            var skinned = go.GetComponent<SkinnedMeshRenderer>();
            if (skinned != null)
            {
                f.Skinned = true;
                var bones = skinned.bones;
                f.Bones = bones == null ? 0 : bones.Length;
                f.BlendShapes = skinned.sharedMesh == null ? 0 : skinned.sharedMesh.blendShapeCount;
            }
            f.Terrain = go.GetComponent<Terrain>() != null;
            f.Particles = go.GetComponent<ParticleSystem>() != null;
            f.Text = go.GetComponent<TextMesh>() != null;
            var lod = go.GetComponent<LODGroup>();
            f.LodLevels = lod == null ? 0 : lod.lodCount;
            f.Light = go.GetComponent<Light>() != null;
            f.Camera = go.GetComponent<Camera>() != null;
            foreach (var r in go.GetComponents<Renderer>())
                if (!(r is MeshRenderer) && !(r is SkinnedMeshRenderer) && !(r is ParticleSystemRenderer)) { f.OtherRenderer = r.GetType().Name; break; }
            var filter = go.GetComponent<MeshFilter>();
            if (filter != null && filter.sharedMesh != null) ReadMesh(f, filter.sharedMesh);
            return f;
        }

        /// <summary>What MeshExport.Read leaves out of the blob: UV channels 1–7 (not VibeSync's layout channel), faceless submeshes, vertex colours.</summary>
        static void ReadMesh(ObjectFacts f, Mesh mesh)
        {
            bool layout = mesh.HasVertexAttribute(VertexAttribute.TexCoord3) && MeshExport.HasLayout(mesh);
            for (int c = 1; c < 8; c++)
            {
                if (layout && c == MeshExport.LayoutChannel) continue;
                if (mesh.HasVertexAttribute((VertexAttribute)((int)VertexAttribute.TexCoord0 + c))) f.ExtraUvChannels.Add(c);
            }
            for (int s = 0; s < mesh.subMeshCount; s++) f.SubmeshTopologies.Add(mesh.GetTopology(s).ToString());
            f.VertexColors = mesh.HasVertexAttribute(VertexAttribute.Color);
        }
    }
}
