// The canonical mesh blob ("VSM1", docs/protocol.md "Mesh blobs"), byte for byte like
// shared/canonical/mesh.ts: every value is rounded to float32 first (engines store float32), then
// quantised on the grid. A target decodes a blob into MeshGeometry, holds it as float32 (what Unity
// stores), and reports the SHA-256 of re-encoding what it holds, never the hash it was told.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    /// <summary>A mesh in canonical terms (object-local, right-handed, +Y up, metres); faces as corner lists. Immutable once built.</summary>
    public sealed class MeshGeometry
    {
        /// <summary>x, y, z per vertex</summary>
        public double[] Positions = new double[0];
        /// <summary>corners of each face (3 or more)</summary>
        public int[] FaceSizes = new int[0];
        /// <summary>material slot of each face: an index into the object's materials</summary>
        public int[] Slots = new int[0];
        /// <summary>vertex index of each corner, face after face, in the face's own winding</summary>
        public int[] Corners = new int[0];
        /// <summary>u, v per corner, or null</summary>
        public double[] Uvs;

        public int VertexCount { get { return Positions.Length / 3; } }
        public int FaceCount { get { return FaceSizes.Length; } }

        byte[] encoded;
        MeshSummary summary;
        /// <summary>This geometry as it is held, encoded as a VSM1 blob (once; the geometry does not change).</summary>
        public byte[] Encoded()
        {
            if (encoded == null) encoded = MeshBlob.Encode(this);
            return encoded;
        }

        /// <summary>The summary of this geometry as it is held: re-encoded and hashed.</summary>
        public MeshSummary Summary()
        {
            if (summary == null) summary = MeshBlob.Summary(Encoded());
            return summary;
        }
    }

    public static class MeshBlob
    {
        public const int HeaderBytes = 20, FlagUv = 1;
        public const double UvStep = 1e-5;
        const long Int32Max = 2147483647L;

        static VibeSyncException Bad(string why) { return new VibeSyncException("SCHEMA_VIOLATION", "mesh: " + why); }

        /// <summary>The nearest float32, as the double it is (IEEE round to nearest, ties to even).</summary>
        public static double Fround(double x) { float f = (float)x; return f; }

        /// <summary>floor(fround(x) / step + 0.5), refused outside int32: the blob cannot hold it.</summary>
        public static int Q32(double x, double step, string what)
        {
            if (double.IsNaN(x) || double.IsInfinity(x)) throw new VibeSyncException("NON_FINITE", "mesh " + what + " " + x + " is not finite");
            double v = Math.Floor(Fround(x) / step + 0.5);
            if (v > Int32Max || v < -Int32Max) throw new VibeSyncException("NON_FINITE", "mesh " + what + " " + x + " is outside what a mesh blob holds");
            return (int)v;
        }

        static void PutU32(byte[] b, int at, uint v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24); }
        static uint GetU32(byte[] b, int at) { return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }

        public static byte[] Encode(MeshGeometry m)
        {
            if (m.Positions.Length % 3 != 0) throw Bad(m.Positions.Length + " position values are not whole x, y, z triples");
            int V = m.Positions.Length / 3, F = m.FaceSizes.Length, C = m.Corners.Length;
            long sum = 0;
            for (int f = 0; f < F; f++)
            {
                if (m.FaceSizes[f] < 3) throw Bad("face " + f + " has " + m.FaceSizes[f] + " corners (at least 3)");
                sum += m.FaceSizes[f];
            }
            if (sum != C) throw Bad("faces have " + sum + " corners in all but " + C + " corner indices were given");
            if (m.Slots != null && m.Slots.Length != F) throw Bad(m.Slots.Length + " material slots for " + F + " faces");
            var uvs = m.Uvs != null && m.Uvs.Length > 0 ? m.Uvs : null;
            if (uvs != null && uvs.Length != 2 * C) throw Bad(uvs.Length + " UV values for " + C + " corners (two per corner)");
            var b = new byte[HeaderBytes + 4L * (3L * V + 2L * F + C + (uvs != null ? 2L * C : 0))];
            b[0] = (byte)'V'; b[1] = (byte)'S'; b[2] = (byte)'M'; b[3] = (byte)'1';
            PutU32(b, 4, (uint)V);
            PutU32(b, 8, (uint)F);
            PutU32(b, 12, (uint)C);
            PutU32(b, 16, uvs != null ? (uint)FlagUv : 0u);
            int o = HeaderBytes;
            for (int i = 0; i < 3 * V; i++, o += 4) PutU32(b, o, (uint)Q32(m.Positions[i], Canonical.PositionStep, "position"));
            for (int f = 0; f < F; f++, o += 4) PutU32(b, o, (uint)m.FaceSizes[f]);
            for (int f = 0; f < F; f++, o += 4)
            {
                int s = m.Slots != null ? m.Slots[f] : 0;
                if (s < 0 || s > 0xffff) throw Bad("face " + f + " has material slot " + s + " (0-65535)");
                PutU32(b, o, (uint)s);
            }
            for (int c = 0; c < C; c++, o += 4)
            {
                int vi = m.Corners[c];
                if (vi < 0 || vi >= V) throw Bad("corner " + c + " names vertex " + vi + " of " + V);
                PutU32(b, o, (uint)vi);
            }
            if (uvs != null) for (int i = 0; i < 2 * C; i++, o += 4) PutU32(b, o, (uint)Q32(uvs[i], UvStep, "UV"));
            return b;
        }

        /// <summary>A decoded blob: the quantised integers, exactly as stored.</summary>
        public sealed class Decoded
        {
            public int VertexCount, FaceCount;
            public int[] Positions, FaceSizes, Slots, Corners, Uvs;
        }

        /// <summary>Reads a blob back, checking every count and index; one that is not a canonical mesh blob is SCHEMA_VIOLATION.</summary>
        public static Decoded Decode(byte[] b)
        {
            if (b.Length < HeaderBytes) throw Bad("blob of " + b.Length + " bytes is shorter than the header");
            if (b[0] != 'V' || b[1] != 'S' || b[2] != 'M' || b[3] != '1') throw Bad("blob does not start with \"VSM1\"");
            long V = GetU32(b, 4), F = GetU32(b, 8), C = GetU32(b, 12);
            uint flags = GetU32(b, 16);
            if ((flags & ~(uint)FlagUv) != 0) throw Bad("unknown flags " + flags);
            bool hasUv = (flags & FlagUv) != 0;
            long want = HeaderBytes + 4 * (3 * V + 2 * F + C + (hasUv ? 2 * C : 0));
            if (b.LongLength != want) throw Bad("blob is " + b.LongLength + " bytes; its header says " + want);
            int o = HeaderBytes;
            Func<long, int[]> ints = n =>
            {
                var r = new int[n];
                for (long i = 0; i < n; i++, o += 4) r[i] = (int)GetU32(b, o);
                return r;
            };
            var d = new Decoded { VertexCount = (int)V, FaceCount = (int)F };
            d.Positions = ints(3 * V);
            d.FaceSizes = ints(F);
            d.Slots = ints(F);
            d.Corners = ints(C);
            d.Uvs = hasUv ? ints(2 * C) : null;
            long sum = 0;
            for (int f = 0; f < F; f++)
            {
                // read as u32: a value of 2^31 or more is negative here, and refused like any size under 3
                if (d.FaceSizes[f] < 3) throw Bad("face " + f + " has " + (uint)d.FaceSizes[f] + " corners");
                if (d.Slots[f] < 0 || d.Slots[f] > 0xffff) throw Bad("face " + f + " has material slot " + (uint)d.Slots[f]);
                sum += d.FaceSizes[f];
            }
            if (sum != C) throw Bad("faces have " + sum + " corners, header says " + C);
            for (int c = 0; c < C; c++)
                if (d.Corners[c] < 0 || d.Corners[c] >= V) throw Bad("corner " + c + " names vertex " + (uint)d.Corners[c] + " of " + V);
            return d;
        }

        /// <summary>
        /// The geometry an engine holds after importing a blob: positions q / 10000 and UVs q / 100000 (a division,
        /// the nearest double to the grid point), each then stored as float32, as Unity's Mesh stores them.
        /// </summary>
        public static MeshGeometry Hold(Decoded d)
        {
            var g = new MeshGeometry
            {
                Positions = new double[d.Positions.Length],
                FaceSizes = (int[])d.FaceSizes.Clone(),
                Slots = (int[])d.Slots.Clone(),
                Corners = (int[])d.Corners.Clone(),
                Uvs = d.Uvs == null ? null : new double[d.Uvs.Length],
            };
            for (int i = 0; i < d.Positions.Length; i++) g.Positions[i] = Fround(d.Positions[i] / 1e4);
            if (d.Uvs != null) for (int i = 0; i < d.Uvs.Length; i++) g.Uvs[i] = Fround(d.Uvs[i] / 1e5);
            return g;
        }

        /// <summary>The wire summary of a blob: its SHA-256 as `geometryHash`, counts and bounds read from the blob (bounds on its grid).</summary>
        public static MeshSummary Summary(byte[] blob)
        {
            var d = Decode(blob);
            var min = new double[3];
            var max = new double[3];
            if (d.VertexCount > 0)
                for (int k = 0; k < 3; k++)
                {
                    long lo = long.MaxValue, hi = long.MinValue;
                    for (int i = k; i < d.Positions.Length; i += 3) { lo = Math.Min(lo, d.Positions[i]); hi = Math.Max(hi, d.Positions[i]); }
                    min[k] = lo / 1e4;
                    max[k] = hi / 1e4;
                }
            return new MeshSummary { VertexCount = d.VertexCount, FaceCount = d.FaceCount, GeometryHash = Canonical.Sha256Hex(blob), Min = min, Max = max, Blob = true };
        }

        /// <summary>Face corner lists, for code that wants one array per face.</summary>
        public static List<int[]> Faces(MeshGeometry g)
        {
            var r = new List<int[]>(g.FaceCount);
            int c = 0;
            foreach (var n in g.FaceSizes)
            {
                var f = new int[n];
                Array.Copy(g.Corners, c, f, 0, n);
                r.Add(f);
                c += n;
            }
            return r;
        }
    }
}
