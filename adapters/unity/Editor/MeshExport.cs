// A Unity mesh as the wire's MeshSummary: vertices mirrored to canonical axes (negate Z), and each
// triangle's winding reversed, because a mirror flips it; bounds and the geometry hash from those.
using System.Collections.Generic;
using UnityEngine;
using VibeSync.Core;

namespace VibeSync.Editor
{
    public static class MeshExport
    {
        public static MeshSummary Summary(Mesh mesh)
        {
            var verts = mesh.vertices;
            var tris = mesh.triangles;
            var positions = new List<double>(verts.Length * 3);
            var min = new double[] { double.MaxValue, double.MaxValue, double.MaxValue };
            var max = new double[] { double.MinValue, double.MinValue, double.MinValue };
            foreach (var v in verts)
            {
                var c = Coordinates.UnityToCanonicalPosition(v.x, v.y, v.z);
                for (int i = 0; i < 3; i++)
                {
                    positions.Add(c[i]);
                    if (c[i] < min[i]) min[i] = c[i];
                    if (c[i] > max[i]) max[i] = c[i];
                }
            }
            if (verts.Length == 0) { min = new double[3]; max = new double[3]; }
            var faces = new List<int[]>(tris.Length / 3);
            for (int i = 0; i + 2 < tris.Length; i += 3) faces.Add(new[] { tris[i], tris[i + 2], tris[i + 1] });
            return new MeshSummary { VertexCount = verts.Length, FaceCount = faces.Count, GeometryHash = Canonical.GeometryHash(positions, faces), Min = min, Max = max };
        }
    }
}
