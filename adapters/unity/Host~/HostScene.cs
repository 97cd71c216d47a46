// What the headless host holds as its own when it is a source: the generated scene (VIBESYNC_OBJECTS cubes in
// chains of ten, one material), its meshes and texture made here and kept as blobs to upload, and a GameObject's
// facts read from words (the host's stand-in for what UnityFacts reads in the editor).
using System;
using System.Collections.Generic;
using System.Globalization;
using VibeSync.Core;

static class HostScene
{
    /// <summary>A box of half-size `half` as canonical geometry (+Y up, right-handed): 8 vertices, 6 quads, UVs per corner, slot 0.</summary>
    public static MeshGeometry Box(double half)
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
    public static MeshSummary OwnMesh(BlobStore blobs, MeshGeometry g)
    {
        var blob = MeshBlob.Encode(g);
        blobs.Add(blob);
        return MeshBlob.Summary(blob);
    }

    /// <summary>A checker PNG this engine made, as the material's base-colour texture (its file kept in the store, to upload).</summary>
    public static Texture OwnTexture(BlobStore blobs, int size)
    {
        return TextureFiles.Own("base_color", Png.Checker(size, new byte[] { 204, 51, 26 }), blobs);
    }

    /// <summary>
    /// Facts about a GameObject as words (what UnityFacts reads in the editor): skinned, bones=N, blendshapes=N, terrain,
    /// particles, text, renderer=TypeName, lod=N, light, camera, uv=1,2 (channels besides 0), topo=Triangles,Lines (one per
    /// submesh), colors.
    /// </summary>
    public static ObjectFacts Facts(IEnumerable<string> words)
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

    /// <summary>A source's initial scene: `n` cubes (u_0, u_1, …) parented in tens under one material; their meshes and its texture
    /// are blobs of this engine when a store is given (else mesh summaries only); with `marks`, u_1 stands for a skinned mesh.</summary>
    public static SceneData Generate(int n, BlobStore meshes, BlobStore textures, bool marks = false)
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
}
