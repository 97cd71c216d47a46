// Quantisation, canonical strings and SHA-256 digests exactly as docs/protocol.md defines them
// ("Hashes and canonical forms"); byte-equal to data/golden/canonical-vectors.json.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VibeSync.Core
{
    public static class Canonical
    {
        public const double PositionStep = 1e-4, RotationStep = 1e-6, ScaleStep = 1e-5, ColorStep = 1e-4;
        public const double MaxQuantised = 1e15, MinQuatLength = 1e-6;

        /// <summary>floor(x / step + 0.5) in IEEE doubles, -0 written as 0; NON_FINITE when it cannot be held.</summary>
        public static long Quantise(double x, double step)
        {
            if (double.IsNaN(x) || double.IsInfinity(x)) throw new VibeSyncException("NON_FINITE", "cannot hash non-finite value " + x);
            double v = Math.Floor(x / step + 0.5);
            if (Math.Abs(v) > MaxQuantised) throw new VibeSyncException("NON_FINITE", x + " is too large for the canonical form (step " + step + ")");
            return (long)v;
        }

        public static double QuatLength(double[] q) { return Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]); }

        public static long[] QuantiseQuat(double[] q)
        {
            double n = QuatLength(q);
            if (!(n >= MinQuatLength) || double.IsInfinity(n)) throw new VibeSyncException("NON_FINITE", "rotation quaternion length " + n + " is below " + MinQuatLength + " or not finite");
            var r = new long[4];
            for (int i = 0; i < 4; i++) r[i] = Quantise(q[i] / n, RotationStep);
            long lead = r[3] != 0 ? r[3] : r[0] != 0 ? r[0] : r[1] != 0 ? r[1] : r[2];
            if (lead < 0) for (int i = 0; i < 4; i++) r[i] = -r[i];
            return r;
        }

        static void Ints(StringBuilder sb, double[] v, double step)
        {
            sb.Append('[');
            for (int i = 0; i < v.Length; i++) { if (i > 0) sb.Append(','); sb.Append(Quantise(v[i], step).ToString(CultureInfo.InvariantCulture)); }
            sb.Append(']');
        }

        static void Longs(StringBuilder sb, long[] v)
        {
            sb.Append('[');
            for (int i = 0; i < v.Length; i++) { if (i > 0) sb.Append(','); sb.Append(v[i].ToString(CultureInfo.InvariantCulture)); }
            sb.Append(']');
        }

        public static void WriteObject(StringBuilder sb, SceneObject o)
        {
            // "cam" and "light" only on objects that carry them: older canonical forms stay byte-identical
            sb.Append('{');
            if (o.Camera != null) { sb.Append("\"cam\":"); Kinds.WriteCamera(sb, o.Camera); sb.Append(','); }
            sb.Append("\"id\":"); Json.WriteString(sb, o.Id);
            if (o.Light != null) { sb.Append(",\"light\":"); Kinds.WriteLight(sb, o.Light); }
            sb.Append(",\"mat\":[");
            for (int i = 0; i < o.Materials.Count; i++) { if (i > 0) sb.Append(','); Json.WriteString(sb, o.Materials[i]); }
            sb.Append("],\"mesh\":");
            if (o.Mesh == null) sb.Append("null");
            else
            {
                sb.Append("{\"b\":[");
                var b = new double[] { o.Mesh.Min[0], o.Mesh.Min[1], o.Mesh.Min[2], o.Mesh.Max[0], o.Mesh.Max[1], o.Mesh.Max[2] };
                for (int i = 0; i < 6; i++) { if (i > 0) sb.Append(','); sb.Append(Quantise(b[i], PositionStep).ToString(CultureInfo.InvariantCulture)); }
                sb.Append("],\"f\":").Append(o.Mesh.FaceCount.ToString(CultureInfo.InvariantCulture));
                sb.Append(",\"g\":"); Json.WriteString(sb, o.Mesh.GeometryHash);
                sb.Append(",\"v\":").Append(o.Mesh.VertexCount.ToString(CultureInfo.InvariantCulture)).Append('}');
            }
            sb.Append(",\"name\":"); Json.WriteString(sb, o.Name);
            sb.Append(",\"p\":"); Ints(sb, o.Transform.Position, PositionStep);
            sb.Append(",\"parent\":"); if (o.Parent == null) sb.Append("null"); else Json.WriteString(sb, o.Parent);
            sb.Append(",\"r\":"); Longs(sb, QuantiseQuat(o.Transform.Rotation));
            sb.Append(",\"s\":"); Ints(sb, o.Transform.Scale, ScaleStep);
            sb.Append(",\"type\":"); Json.WriteString(sb, o.Type);
            sb.Append('}');
        }

        public static void WriteMaterial(StringBuilder sb, Material m)
        {
            sb.Append("{\"c\":"); Ints(sb, m.BaseColor, ColorStep);
            sb.Append(",\"id\":"); Json.WriteString(sb, m.Id);
            sb.Append(",\"m\":").Append(Quantise(m.Metallic, ColorStep).ToString(CultureInfo.InvariantCulture));
            sb.Append(",\"name\":"); Json.WriteString(sb, m.Name);
            sb.Append(",\"r\":").Append(Quantise(m.Roughness, ColorStep).ToString(CultureInfo.InvariantCulture));
            sb.Append(",\"tex\":[");
            var tex = new List<Texture>(m.Textures);
            // a stable sort by slot (UTF-16 code units), like JavaScript's Array.prototype.sort
            var order = new List<KeyValuePair<int, Texture>>();
            for (int i = 0; i < tex.Count; i++) order.Add(new KeyValuePair<int, Texture>(i, tex[i]));
            order.Sort((a, b) => { int c = string.CompareOrdinal(a.Value.Slot, b.Value.Slot); return c != 0 ? c : a.Key.CompareTo(b.Key); });
            for (int i = 0; i < order.Count; i++)
            {
                var t = order[i].Value;
                if (i > 0) sb.Append(',');
                sb.Append("{\"h\":").Append(t.Height.ToString(CultureInfo.InvariantCulture));
                sb.Append(",\"hash\":"); Json.WriteString(sb, t.Hash);
                sb.Append(",\"slot\":"); Json.WriteString(sb, t.Slot);
                sb.Append(",\"w\":").Append(t.Width.ToString(CultureInfo.InvariantCulture)).Append('}');
            }
            sb.Append("]}");
        }

        public static string ObjectCanonical(SceneObject o) { var sb = new StringBuilder(); WriteObject(sb, o); return sb.ToString(); }
        public static string MaterialCanonical(Material m) { var sb = new StringBuilder(); WriteMaterial(sb, m); return sb.ToString(); }
        public static string ObjectHash(SceneObject o) { return Sha256Hex(ObjectCanonical(o)); }
        public static string MaterialHash(Material m) { return Sha256Hex(MaterialCanonical(m)); }

        static int ById(string a, string b) { return string.CompareOrdinal(a, b); }

        public static string SceneCanonical(IEnumerable<SceneObject> objects, IEnumerable<Material> materials)
        {
            var os = new List<SceneObject>(objects);
            os.Sort((a, b) => ById(a.Id, b.Id));
            var ms = new List<Material>(materials);
            ms.Sort((a, b) => ById(a.Id, b.Id));
            var sb = new StringBuilder("{\"materials\":[");
            for (int i = 0; i < ms.Count; i++) { if (i > 0) sb.Append(','); sb.Append('['); Json.WriteString(sb, ms[i].Id); sb.Append(",\"").Append(MaterialHash(ms[i])).Append("\"]"); }
            sb.Append("],\"objects\":[");
            for (int i = 0; i < os.Count; i++) { if (i > 0) sb.Append(','); sb.Append('['); Json.WriteString(sb, os[i].Id); sb.Append(",\"").Append(ObjectHash(os[i])).Append("\"]"); }
            sb.Append("]}");
            return sb.ToString();
        }

        public static string SceneHash(IEnumerable<SceneObject> objects, IEnumerable<Material> materials) { return Sha256Hex(SceneCanonical(objects, materials)); }
        public static string SceneHash(SceneData s) { return SceneHash(s.Objects, s.Materials); }

        /// <summary>The final state of every touched subject; a null value means deleted.</summary>
        public static string TxCanonical(IDictionary<string, SceneObject> objects, IDictionary<string, Material> materials)
        {
            var sb = new StringBuilder("{\"materials\":{");
            var mk = new List<string>(materials.Keys);
            mk.Sort(string.CompareOrdinal);
            for (int i = 0; i < mk.Count; i++)
            {
                if (i > 0) sb.Append(',');
                Json.WriteString(sb, mk[i]); sb.Append(':');
                var m = materials[mk[i]];
                if (m == null) sb.Append("null"); else WriteMaterial(sb, m);
            }
            sb.Append("},\"objects\":{");
            var ok = new List<string>(objects.Keys);
            ok.Sort(string.CompareOrdinal);
            for (int i = 0; i < ok.Count; i++)
            {
                if (i > 0) sb.Append(',');
                Json.WriteString(sb, ok[i]); sb.Append(':');
                var o = objects[ok[i]];
                if (o == null) sb.Append("null"); else WriteObject(sb, o);
            }
            sb.Append("}}");
            return sb.ToString();
        }

        public static string TxHash(IDictionary<string, SceneObject> objects, IDictionary<string, Material> materials) { return Sha256Hex(TxCanonical(objects, materials)); }

        /// <summary>{"f": faces, "v": quantised flat positions}, positions object-local in canonical axes.</summary>
        public static string GeometryCanonical(IList<double> positions, IList<int[]> faces)
        {
            var sb = new StringBuilder("{\"f\":[");
            for (int i = 0; i < faces.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append('[');
                for (int j = 0; j < faces[i].Length; j++) { if (j > 0) sb.Append(','); sb.Append(faces[i][j].ToString(CultureInfo.InvariantCulture)); }
                sb.Append(']');
            }
            sb.Append("],\"v\":[");
            for (int i = 0; i < positions.Count; i++) { if (i > 0) sb.Append(','); sb.Append(Quantise(positions[i], PositionStep).ToString(CultureInfo.InvariantCulture)); }
            sb.Append("]}");
            return sb.ToString();
        }

        public static string GeometryHash(IList<double> positions, IList<int[]> faces) { return Sha256Hex(GeometryCanonical(positions, faces)); }

        public static string Sha256Hex(string text) { return Sha256Hex(new UTF8Encoding(false, false).GetBytes(text)); }

        public static string Sha256Hex(byte[] bytes)
        {
            using (var sha = SHA256.Create()) return Hex(sha.ComputeHash(bytes));
        }

        public static string Hex(byte[] digest)
        {
            var sb = new StringBuilder(2 * digest.Length);
            foreach (var b in digest) sb.Append(b.ToString("x2"));
            return sb.ToString();
        }
    }
}
