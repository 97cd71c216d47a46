// A Unity mesh read back as canonical geometry (MeshGeometry), the bytes its hash is taken over.
// Unity is left-handed and the wire right-handed: every vertex is mirrored (negate Z, Coordinates),
// and a mirror flips the winding, so each triangle (a, b, c) is read as the face (a, c, b).
// A mesh that VibeSync built from a blob (MeshBuild) carries its layout in UV channel 3: for each
// Unity vertex, (the blob's vertex index, its face index, or -1 for a vertex on no face). Reading it
// back gives the blob's own faces, corner order and loose vertices, with the positions, UVs and
// material slots (submeshes) Unity holds, so an unchanged mesh re-encodes to the very blob it came from.
using System.Collections.Generic;
using UnityEngine;
using VibeSync.Core;

namespace VibeSync.Editor
{
    public static class MeshExport
    {
        public const int LayoutChannel = 3;

        public static MeshGeometry Read(Mesh mesh)
        {
            var verts = mesh.vertices;
            var layout = Layout(mesh, verts.Length);
            return layout != null ? ReadLayout(mesh, verts, layout) : ReadNative(mesh, verts);
        }

        /// <summary>The layout channel of a mesh MeshBuild made (one entry per vertex), or null for a mesh made in Unity.</summary>
        static List<Vector2> Layout(Mesh mesh, int vertexCount)
        {
            var layout = new List<Vector2>();
            mesh.GetUVs(LayoutChannel, layout);
            return layout.Count == vertexCount && vertexCount > 0 ? layout : null;
        }

        /// <summary>Read takes UV channel 3 as VibeSync's layout, not as the user's UVs (UnityFacts leaves it out of what is not sent).</summary>
        public static bool HasLayout(Mesh mesh) { return Layout(mesh, mesh.vertexCount) != null; }

        /// <summary>
        /// Submeshes whose faces are read: Triangles, and Quads (GetTriangles gives each quad as two triangles). Lines,
        /// LineStrip and Points have no faces (GetTriangles would log an error): they are not sent, and UnityFacts marks them.
        /// </summary>
        static bool HasFaces(Mesh mesh, int submesh)
        {
            var t = mesh.GetTopology(submesh);
            return t == MeshTopology.Triangles || t == MeshTopology.Quads;
        }

        static double[] Canonical(Vector3 v) { return Coordinates.UnityToCanonicalPosition(v.x, v.y, v.z); }

        /// <summary>A mesh made in Unity: one vertex per Unity vertex, one triangle face per triangle, the submesh as material slot, UVs from channel 0 (the others are marked, UnityFacts).</summary>
        static MeshGeometry ReadNative(Mesh mesh, Vector3[] verts)
        {
            var positions = new double[verts.Length * 3];
            for (int i = 0; i < verts.Length; i++) { var c = Canonical(verts[i]); positions[3 * i] = c[0]; positions[3 * i + 1] = c[1]; positions[3 * i + 2] = c[2]; }
            var uv = mesh.uv;
            bool hasUv = uv != null && uv.Length == verts.Length && verts.Length > 0;
            var sizes = new List<int>();
            var slots = new List<int>();
            var corners = new List<int>();
            var uvs = new List<double>();
            for (int s = 0; s < mesh.subMeshCount; s++)
            {
                if (!HasFaces(mesh, s)) continue;
                var tris = mesh.GetTriangles(s);
                for (int i = 0; i + 2 < tris.Length; i += 3)
                {
                    sizes.Add(3);
                    slots.Add(s);
                    foreach (var v in new[] { tris[i], tris[i + 2], tris[i + 1] })
                    {
                        corners.Add(v);
                        if (hasUv) { uvs.Add(uv[v].x); uvs.Add(uv[v].y); }
                    }
                }
            }
            return new MeshGeometry { Positions = positions, FaceSizes = sizes.ToArray(), Slots = slots.ToArray(), Corners = corners.ToArray(), Uvs = hasUv ? uvs.ToArray() : null };
        }

        /// <summary>A mesh MeshBuild made from a blob: faces and corner order from the layout channel, everything else from what Unity holds.</summary>
        static MeshGeometry ReadLayout(Mesh mesh, Vector3[] verts, List<Vector2> layout)
        {
            int V = 0, F = 0;
            foreach (var l in layout) { V = Mathf.Max(V, (int)l.x + 1); F = Mathf.Max(F, (int)l.y + 1); }
            var positions = new double[3 * V];
            var sizes = new int[F];
            var corners = new List<int>();
            var cornerUnityVertex = new List<int>();
            for (int i = 0; i < verts.Length; i++)
            {
                int v = (int)layout[i].x, f = (int)layout[i].y;
                var c = Canonical(verts[i]);
                positions[3 * v] = c[0]; positions[3 * v + 1] = c[1]; positions[3 * v + 2] = c[2];
                if (f < 0) continue;
                sizes[f]++;
                corners.Add(v);
                cornerUnityVertex.Add(i);
            }
            var faceOfVertex = new int[verts.Length];
            for (int i = 0; i < verts.Length; i++) faceOfVertex[i] = (int)layout[i].y;
            var slots = new int[F];
            for (int s = 0; s < mesh.subMeshCount; s++)
            {
                var tris = mesh.GetTriangles(s);
                for (int i = 0; i < tris.Length; i += 3) slots[faceOfVertex[tris[i]]] = s;
            }
            var uv = mesh.uv;
            double[] uvs = null;
            if (uv != null && uv.Length == verts.Length)
            {
                uvs = new double[2 * corners.Count];
                for (int c = 0; c < corners.Count; c++) { uvs[2 * c] = uv[cornerUnityVertex[c]].x; uvs[2 * c + 1] = uv[cornerUnityVertex[c]].y; }
            }
            return new MeshGeometry { Positions = positions, FaceSizes = sizes, Slots = slots, Corners = corners.ToArray(), Uvs = uvs };
        }
    }
}
