// Lights and cameras as first-class kinds, and the mark on what a source could not send
// (docs/protocol.md › Lights and cameras). Wire units are physical: watts (point, spot, area) or
// W/m² (directional), metres, radians. Light and camera values are rounded to float32 before they are
// quantised, since every engine stores them as 32-bit floats.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace VibeSync.Core
{
    public sealed class LightData
    {
        public string Kind = "point";
        public double[] Color = { 1, 1, 1 };
        public double Intensity;
        /// <summary>metres, or null: no cut-off</summary>
        public double? Range;
        /// <summary>spot only: cone half-angles in radians</summary>
        public double? Inner, Outer;
    }

    public sealed class CameraData
    {
        public string Projection = "perspective";
        public double? Yfov, OrthoSize;
        public double Near = 0.1, Far = 1000;
    }

    public sealed class NotSyncedMark
    {
        public string Kind, Reason;
    }

    public static class Kinds
    {
        public const double IntensityStep = 1e-4, AngleStep = 1e-4;

        /// <summary>float32 first (C#'s (float) cast rounds to nearest, ties to even), then the step.</summary>
        public static long Quantise32(double x, double step)
        {
            if (double.IsNaN(x) || double.IsInfinity(x)) throw new VibeSyncException("NON_FINITE", "cannot hash non-finite value " + x);
            return Canonical.Quantise((double)(float)x, step);
        }

        static string L(long v) { return v.ToString(CultureInfo.InvariantCulture); }
        static string Opt(double? x, double step) { return x.HasValue ? L(Quantise32(x.Value, step)) : "null"; }

        /// <summary>{"c":[r,g,b],"i":intensity,"k":kind,"r":range|null,"s":[inner,outer]|null}</summary>
        public static void WriteLight(StringBuilder sb, LightData l)
        {
            sb.Append("{\"c\":[");
            for (int i = 0; i < 3; i++) { if (i > 0) sb.Append(','); sb.Append(L(Quantise32(l.Color[i], Canonical.ColorStep))); }
            sb.Append("],\"i\":").Append(L(Quantise32(l.Intensity, IntensityStep)));
            sb.Append(",\"k\":"); Json.WriteString(sb, l.Kind);
            sb.Append(",\"r\":").Append(Opt(l.Range, Canonical.PositionStep));
            sb.Append(",\"s\":");
            if (l.Inner.HasValue && l.Outer.HasValue) sb.Append('[').Append(Opt(l.Inner, AngleStep)).Append(',').Append(Opt(l.Outer, AngleStep)).Append(']');
            else sb.Append("null");
            sb.Append('}');
        }

        /// <summary>{"f":far,"n":near,"o":orthoSize|null,"p":projection,"y":yfov|null}</summary>
        public static void WriteCamera(StringBuilder sb, CameraData c)
        {
            sb.Append("{\"f\":").Append(L(Quantise32(c.Far, Canonical.PositionStep)));
            sb.Append(",\"n\":").Append(L(Quantise32(c.Near, Canonical.PositionStep)));
            sb.Append(",\"o\":").Append(Opt(c.OrthoSize, Canonical.PositionStep));
            sb.Append(",\"p\":"); Json.WriteString(sb, c.Projection);
            sb.Append(",\"y\":").Append(Opt(c.Yfov, AngleStep));
            sb.Append('}');
        }

        static double? NumOrNull(Dictionary<string, object> d, string key, string what)
        {
            var v = Wire.Req(d, key, what);
            return v == null ? (double?)null : Wire.Num(v, what + "." + key);
        }

        public static LightData ReadLight(object v, string what)
        {
            if (v == null) return null;
            var d = Wire.Obj(v, what, "kind", "color", "intensity", "range", "spot");
            var l = new LightData
            {
                Kind = Wire.Str(d, "kind", what),
                Color = Wire.Vec(Wire.Req(d, "color", what), 3, what + ".color"),
                Intensity = Wire.Num(Wire.Req(d, "intensity", what), what + ".intensity"),
                Range = NumOrNull(d, "range", what),
            };
            if (Array.IndexOf(new[] { "point", "spot", "directional", "area" }, l.Kind) < 0)
                throw new VibeSyncException("SCHEMA_VIOLATION", what + ".kind must be point, spot, directional or area");
            var spot = Wire.Req(d, "spot", what);
            if (spot != null)
            {
                var sd = Wire.Obj(spot, what + ".spot", "inner", "outer");
                l.Inner = Wire.Num(Wire.Req(sd, "inner", what), what + ".spot.inner");
                l.Outer = Wire.Num(Wire.Req(sd, "outer", what), what + ".spot.outer");
            }
            return l;
        }

        public static CameraData ReadCamera(object v, string what)
        {
            if (v == null) return null;
            var d = Wire.Obj(v, what, "projection", "yfov", "orthoSize", "near", "far");
            var c = new CameraData
            {
                Projection = Wire.Str(d, "projection", what),
                Yfov = NumOrNull(d, "yfov", what),
                OrthoSize = NumOrNull(d, "orthoSize", what),
                Near = Wire.Num(Wire.Req(d, "near", what), what + ".near"),
                Far = Wire.Num(Wire.Req(d, "far", what), what + ".far"),
            };
            if (c.Projection != "perspective" && c.Projection != "orthographic")
                throw new VibeSyncException("SCHEMA_VIOLATION", what + ".projection must be perspective or orthographic");
            return c;
        }

        public static NotSyncedMark ReadNotSynced(object v, string what)
        {
            if (v == null) return null;
            var d = Wire.Obj(v, what, "kind", "reason");
            return new NotSyncedMark { Kind = Wire.Str(d, "kind", what), Reason = Wire.Str(d, "reason", what) };
        }

        public static object Write(LightData l)
        {
            if (l == null) return null;
            return new JObj().Add("kind", l.Kind).Add("color", l.Color).Add("intensity", l.Intensity).Add("range", l.Range)
                .Add("spot", l.Inner.HasValue && l.Outer.HasValue ? new JObj().Add("inner", l.Inner.Value).Add("outer", l.Outer.Value) : null);
        }

        public static object Write(CameraData c)
        {
            if (c == null) return null;
            return new JObj().Add("projection", c.Projection).Add("yfov", c.Yfov).Add("orthoSize", c.OrthoSize).Add("near", c.Near).Add("far", c.Far);
        }

        public static object Write(NotSyncedMark m)
        {
            return m == null ? null : new JObj().Add("kind", m.Kind).Add("reason", m.Reason);
        }
    }
}
