// A strict JSON reader (duplicate keys, __proto__/constructor/prototype keys, nesting deeper than 32,
// non-finite numbers and trailing text are refused with a typed error) and a JSON writer for the
// wire. Objects become Dictionary<string, object>, arrays List<object>, numbers double, null null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace VibeSync.Core
{
    public sealed class VibeSyncException : Exception
    {
        public readonly string Code;
        public VibeSyncException(string code, string message) : base(message) { Code = code; }
    }

    public static class Json
    {
        public const int MaxDepth = 32;

        public static object Parse(string text)
        {
            var r = new Reader(text);
            r.SkipWs();
            var v = r.Value(1);
            r.SkipWs();
            if (r.Pos != text.Length) throw r.Fail("MALFORMED_JSON", "trailing text after the JSON value");
            return v;
        }

        sealed class Reader
        {
            readonly string s;
            public int Pos;
            public Reader(string text) { s = text; }

            public VibeSyncException Fail(string code, string why) { return new VibeSyncException(code, why + " at offset " + Pos); }

            public void SkipWs()
            {
                while (Pos < s.Length && (s[Pos] == ' ' || s[Pos] == '\t' || s[Pos] == '\n' || s[Pos] == '\r')) Pos++;
            }

            public object Value(int depth)
            {
                if (Pos >= s.Length) throw Fail("MALFORMED_JSON", "unexpected end");
                char c = s[Pos];
                if (c == '{') return Obj(depth);
                if (c == '[') return Arr(depth);
                if (c == '"') return Str();
                if (c == 't') return Word("true", true);
                if (c == 'f') return Word("false", false);
                if (c == 'n') return Word("null", null);
                if (c == 'N' || c == 'I') throw Fail("NON_FINITE", "bare NaN/Infinity");
                if (c == '-' && Pos + 1 < s.Length && s[Pos + 1] == 'I') throw Fail("NON_FINITE", "bare -Infinity");
                return Num();
            }

            object Word(string w, object v)
            {
                if (string.CompareOrdinal(s, Pos, w, 0, w.Length) != 0) throw Fail("MALFORMED_JSON", "unexpected token");
                Pos += w.Length;
                return v;
            }

            Dictionary<string, object> Obj(int depth)
            {
                if (depth > MaxDepth) throw Fail("TOO_DEEP", "nesting deeper than " + MaxDepth);
                var o = new Dictionary<string, object>(StringComparer.Ordinal);
                Pos++;
                SkipWs();
                if (Pos < s.Length && s[Pos] == '}') { Pos++; return o; }
                while (true)
                {
                    SkipWs();
                    if (Pos >= s.Length || s[Pos] != '"') throw Fail("MALFORMED_JSON", "expected a key");
                    string k = Str();
                    if (k == "__proto__" || k == "constructor" || k == "prototype") throw Fail("PROTO_KEY", "forbidden key \"" + k + "\"");
                    if (o.ContainsKey(k)) throw Fail("DUPLICATE_KEY", "duplicate key \"" + k + "\"");
                    SkipWs();
                    if (Pos >= s.Length || s[Pos] != ':') throw Fail("MALFORMED_JSON", "expected ':'");
                    Pos++;
                    SkipWs();
                    o[k] = Value(depth + 1);
                    SkipWs();
                    if (Pos < s.Length && s[Pos] == ',') { Pos++; continue; }
                    if (Pos < s.Length && s[Pos] == '}') { Pos++; return o; }
                    throw Fail("MALFORMED_JSON", "expected ',' or '}'");
                }
            }

            List<object> Arr(int depth)
            {
                if (depth > MaxDepth) throw Fail("TOO_DEEP", "nesting deeper than " + MaxDepth);
                var a = new List<object>();
                Pos++;
                SkipWs();
                if (Pos < s.Length && s[Pos] == ']') { Pos++; return a; }
                while (true)
                {
                    SkipWs();
                    a.Add(Value(depth + 1));
                    SkipWs();
                    if (Pos < s.Length && s[Pos] == ',') { Pos++; continue; }
                    if (Pos < s.Length && s[Pos] == ']') { Pos++; return a; }
                    throw Fail("MALFORMED_JSON", "expected ',' or ']'");
                }
            }

            string Str()
            {
                Pos++;
                var sb = new StringBuilder();
                while (true)
                {
                    if (Pos >= s.Length) throw Fail("MALFORMED_JSON", "unterminated string");
                    char c = s[Pos++];
                    if (c == '"') return sb.ToString();
                    if (c < 0x20) throw Fail("MALFORMED_JSON", "control character in a string");
                    if (c != '\\') { sb.Append(c); continue; }
                    if (Pos >= s.Length) throw Fail("MALFORMED_JSON", "unterminated escape");
                    char e = s[Pos++];
                    if (e == '"' || e == '\\' || e == '/') sb.Append(e);
                    else if (e == 'b') sb.Append('\b');
                    else if (e == 'f') sb.Append('\f');
                    else if (e == 'n') sb.Append('\n');
                    else if (e == 'r') sb.Append('\r');
                    else if (e == 't') sb.Append('\t');
                    else if (e == 'u')
                    {
                        if (Pos + 4 > s.Length) throw Fail("MALFORMED_JSON", "short \\u escape");
                        int code;
                        if (!int.TryParse(s.Substring(Pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
                            throw Fail("MALFORMED_JSON", "bad \\u escape");
                        sb.Append((char)code);
                        Pos += 4;
                    }
                    else throw Fail("MALFORMED_JSON", "bad escape");
                }
            }

            double Num()
            {
                int start = Pos;
                if (Pos < s.Length && s[Pos] == '-') Pos++;
                int intStart = Pos;
                while (Pos < s.Length && s[Pos] >= '0' && s[Pos] <= '9') Pos++;
                if (Pos == intStart) throw Fail("MALFORMED_JSON", "unexpected character");
                if (s[intStart] == '0' && Pos - intStart > 1) throw Fail("MALFORMED_JSON", "leading zero");
                if (Pos < s.Length && s[Pos] == '.')
                {
                    Pos++;
                    int f = Pos;
                    while (Pos < s.Length && s[Pos] >= '0' && s[Pos] <= '9') Pos++;
                    if (Pos == f) throw Fail("MALFORMED_JSON", "digits expected after '.'");
                }
                if (Pos < s.Length && (s[Pos] == 'e' || s[Pos] == 'E'))
                {
                    Pos++;
                    if (Pos < s.Length && (s[Pos] == '+' || s[Pos] == '-')) Pos++;
                    int x = Pos;
                    while (Pos < s.Length && s[Pos] >= '0' && s[Pos] <= '9') Pos++;
                    if (Pos == x) throw Fail("MALFORMED_JSON", "digits expected in exponent");
                }
                double d;
                try { d = double.Parse(s.Substring(start, Pos - start), NumberStyles.Float, CultureInfo.InvariantCulture); }
                catch (OverflowException) { throw Fail("NON_FINITE", "number overflows to Infinity"); }
                if (double.IsInfinity(d) || double.IsNaN(d)) throw Fail("NON_FINITE", "number overflows to Infinity");
                return d;
            }
        }

        /// <summary>Appends a JSON string as RFC 8785 writes it (also what JSON.stringify writes).</summary>
        public static void WriteString(StringBuilder sb, string v)
        {
            sb.Append('"');
            for (int i = 0; i < v.Length; i++)
            {
                char c = v[i];
                if (c == '"') sb.Append("\\\"");
                else if (c == '\\') sb.Append("\\\\");
                else if (c == '\b') sb.Append("\\b");
                else if (c == '\t') sb.Append("\\t");
                else if (c == '\n') sb.Append("\\n");
                else if (c == '\f') sb.Append("\\f");
                else if (c == '\r') sb.Append("\\r");
                else if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else if (char.IsHighSurrogate(c) && i + 1 < v.Length && char.IsLowSurrogate(v[i + 1])) { sb.Append(c).Append(v[i + 1]); i++; }
                else if (char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            sb.Append('"');
        }

        /// <summary>A double that parses back to the same bits; integers without a fraction.</summary>
        public static string Number(double d)
        {
            if (double.IsNaN(d) || double.IsInfinity(d)) throw new VibeSyncException("NON_FINITE", "cannot write non-finite " + d);
            if (d == Math.Floor(d) && Math.Abs(d) < 9007199254740992.0) return ((long)d).ToString(CultureInfo.InvariantCulture);
            string r = d.ToString("R", CultureInfo.InvariantCulture);
            if (double.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture) != d) r = d.ToString("G17", CultureInfo.InvariantCulture);
            return r;
        }

        /// <summary>Writes a value built from Dictionary / List / string / double / long / int / bool / null (keys in insertion order).</summary>
        public static string Write(object v)
        {
            var sb = new StringBuilder();
            Write(sb, v);
            return sb.ToString();
        }

        public static void Write(StringBuilder sb, object v)
        {
            if (v == null) { sb.Append("null"); return; }
            var str = v as string;
            if (str != null) { WriteString(sb, str); return; }
            if (v is bool) { sb.Append((bool)v ? "true" : "false"); return; }
            if (v is double) { sb.Append(Number((double)v)); return; }
            if (v is long) { sb.Append(((long)v).ToString(CultureInfo.InvariantCulture)); return; }
            if (v is int) { sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)); return; }
            if (v is float) { sb.Append(Number((float)v)); return; }
            var raw = v as RawJson;
            if (raw != null) { sb.Append(raw.Text); return; }
            var dict = v as IEnumerable<KeyValuePair<string, object>>;
            if (dict != null)
            {
                sb.Append('{');
                bool first = true;
                foreach (var kv in dict)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, kv.Key);
                    sb.Append(':');
                    Write(sb, kv.Value);
                }
                sb.Append('}');
                return;
            }
            var list = v as System.Collections.IEnumerable;
            if (list != null)
            {
                sb.Append('[');
                bool first = true;
                foreach (var x in list)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(sb, x);
                }
                sb.Append(']');
                return;
            }
            throw new ArgumentException("cannot write " + v.GetType().Name + " as JSON");
        }
    }

    /// <summary>Text already in JSON form, written as it is.</summary>
    public sealed class RawJson
    {
        public readonly string Text;
        public RawJson(string text) { Text = text; }
    }

    /// <summary>Key/value pairs written in the order added (for wire messages and canonical documents built in sorted order).</summary>
    public sealed class JObj : List<KeyValuePair<string, object>>
    {
        public JObj Add(string key, object value) { base.Add(new KeyValuePair<string, object>(key, value)); return this; }
    }
}
