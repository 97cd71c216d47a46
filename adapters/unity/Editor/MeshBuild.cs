// A UnityEngine.Mesh built from a decoded mesh blob. Unity stores one UV per vertex, the blob one per
// face corner, so each corner becomes its own Unity vertex (corners in blob order, then the blob's
// vertices that lie on no face). Positions are mirrored into Unity's left-handed axes (negate Z, as
// Coordinates does for transforms) and, since a mirror flips the winding, each face is fanned into
// triangles (c0, c[i+1], c[i]). Each material slot is one submesh (the renderer's material of that
// index). Normals are recalculated by Unity (the wire carries none). UV channel 3 keeps the layout
// (blob vertex index, face index) so MeshExport reads back the blob's own faces and corner order.
using System.Collections.Generic;
using UnityEngine;
using UnityEngine.Rendering;
using VibeSync.Core;

namespace VibeSync.Editor
{
    public static class MeshBuild
    {
        /// <summary>Float32 holds every integer up to 2^24 exactly: the layout channel's limit.</summary>
        const int MaxIndex = 1 << 24;

        public static Mesh Build(MeshGeometry g, string name)
        {
            int V = g.VertexCount, C = g.Corners.Length;
            if (V >= MaxIndex || g.FaceCount >= MaxIndex)
                throw new VibeSyncException("TARGET_FAILED", "mesh " + name + ": " + V + " vertices / " + g.FaceCount + " faces is more than the Unity layer holds (2^24)");
            var onFace = new bool[V];
            foreach (var v in g.Corners) onFace[v] = true;
            var verts = new List<Vector3>(C);
            var uvs = new List<Vector2>(C);
            var layout = new List<Vector2>(C);
            int corner = 0;
            for (int f = 0; f < g.FaceCount; f++)
                for (int k = 0; k < g.FaceSizes[f]; k++, corner++)
                {
                    int v = g.Corners[corner];
                    verts.Add(Position(g, v));
                    if (g.Uvs != null) uvs.Add(new Vector2((float)g.Uvs[2 * corner], (float)g.Uvs[2 * corner + 1]));
                    layout.Add(new Vector2(v, f));
                }
            for (int v = 0; v < V; v++)
            {
                if (onFace[v]) continue;
                verts.Add(Position(g, v));
                if (g.Uvs != null) uvs.Add(new Vector2(0, 0));
                layout.Add(new Vector2(v, -1));
            }
            int slots = 1;
            foreach (var s in g.Slots) slots = Mathf.Max(slots, s + 1);
            var tris = new List<int>[slots];
            for (int s = 0; s < slots; s++) tris[s] = new List<int>();
            int first = 0;
            for (int f = 0; f < g.FaceCount; f++)
            {
                for (int k = 1; k + 1 < g.FaceSizes[f]; k++) tris[g.Slots[f]].AddRange(new[] { first, first + k + 1, first + k });
                first += g.FaceSizes[f];
            }
            var mesh = new Mesh { name = name };
            mesh.indexFormat = verts.Count > 65535 ? IndexFormat.UInt32 : IndexFormat.UInt16;
            mesh.SetVertices(verts);
            if (g.Uvs != null) mesh.SetUVs(0, uvs);
            mesh.SetUVs(MeshExport.LayoutChannel, layout);
            mesh.subMeshCount = slots;
            for (int s = 0; s < slots; s++) mesh.SetTriangles(tris[s], s);
            mesh.RecalculateNormals();
            mesh.RecalculateBounds();
            return mesh;
        }

        static Vector3 Position(MeshGeometry g, int v)
        {
            var p = Coordinates.CanonicalToUnityPosition(new[] { g.Positions[3 * v], g.Positions[3 * v + 1], g.Positions[3 * v + 2] });
            return new Vector3((float)p[0], (float)p[1], (float)p[2]);
        }
    }
}
