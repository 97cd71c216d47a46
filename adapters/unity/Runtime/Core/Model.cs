// The scene model on the wire (canonical axes: right-handed, +Y up, metres, quaternions [x, y, z, w]),
// read from and written to the JSON the protocol carries. Reading is strict: a missing or
// unknown field is a typed error (UNKNOWN_FIELD / SCHEMA_VIOLATION), so a bad frame changes nothing.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    public sealed class Transform
    {
        public double[] Position = { 0, 0, 0 };
        public double[] Rotation = { 0, 0, 0, 1 };
        public double[] Scale = { 1, 1, 1 };
        public Transform Clone() { return new Transform { Position = (double[])Position.Clone(), Rotation = (double[])Rotation.Clone(), Scale = (double[])Scale.Clone() }; }
    }

    public sealed class MeshSummary
    {
        public long VertexCount, FaceCount;
        public string GeometryHash;
        public double[] Min, Max;
        /// <summary>The mesh travels as content: GeometryHash is the SHA-256 of its VSM1 blob (a transport flag, not hashed).</summary>
        public bool Blob;
    }

    public sealed class Texture
    {
        public string Slot, Hash;
        public long Width, Height;
        /// <summary>With Blob: the image file's encoding ("png" | "jpeg"), and Hash is the SHA-256 of that file. Neither is hashed.</summary>
        public string Format;
        public bool Blob;
        /// <summary>The image file this engine holds for it (TextureFiles), or null; never on the wire, never hashed.</summary>
        public byte[] Bytes;
    }

    public sealed class SceneObject
    {
        public string Id, Name, Type = "empty", Parent;
        public Transform Transform = new Transform();
        public MeshSummary Mesh;
        public List<string> Materials = new List<string>();
        /// <summary>light / camera data (Kinds.cs), and what the source could not send; null when absent</summary>
        public LightData Light;
        public CameraData Camera;
        public NotSyncedMark NotSynced;
        /// <summary>The mesh this engine holds (from a blob it received, or its own), or null: then Mesh is a summary only.</summary>
        public MeshGeometry Geometry;

        /// <summary>Meshes, textures, strings, light and camera data are immutable here, so they are shared.</summary>
        public SceneObject Clone()
        {
            return new SceneObject { Id = Id, Name = Name, Type = Type, Parent = Parent, Transform = Transform.Clone(), Mesh = Mesh, Materials = new List<string>(Materials), Light = Light, Camera = Camera, NotSynced = NotSynced, Geometry = Geometry };
        }
    }

    public sealed class Material
    {
        public string Id, Name;
        public double[] BaseColor = { 1, 1, 1, 1 };
        public double Metallic, Roughness = 0.5;
        public List<Texture> Textures = new List<Texture>();
        public Material Clone()
        {
            return new Material { Id = Id, Name = Name, BaseColor = (double[])BaseColor.Clone(), Metallic = Metallic, Roughness = Roughness, Textures = new List<Texture>(Textures) };
        }
    }

    public sealed class SceneData
    {
        public List<SceneObject> Objects = new List<SceneObject>();
        public List<Material> Materials = new List<Material>();
    }

    /// <summary>Typed access to parsed JSON with the schema's strictness.</summary>
    public static class Wire
    {
        public static Dictionary<string, object> Obj(object v, string what, params string[] allowed)
        {
            var d = v as Dictionary<string, object>;
            if (d == null) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must be an object");
            foreach (var k in d.Keys)
                if (Array.IndexOf(allowed, k) < 0) throw new VibeSyncException("UNKNOWN_FIELD", what + " has an unknown field \"" + k + "\"");
            return d;
        }

        public static object Req(Dictionary<string, object> d, string key, string what)
        {
            object v;
            if (!d.TryGetValue(key, out v)) throw new VibeSyncException("SCHEMA_VIOLATION", what + "." + key + " is missing");
            return v;
        }

        public static string Str(Dictionary<string, object> d, string key, string what)
        {
            var s = Req(d, key, what) as string;
            if (s == null) throw new VibeSyncException("SCHEMA_VIOLATION", what + "." + key + " must be a string");
            return s;
        }

        public static string StrOrNull(Dictionary<string, object> d, string key, string what)
        {
            var v = Req(d, key, what);
            if (v == null) return null;
            var s = v as string;
            if (s == null) throw new VibeSyncException("SCHEMA_VIOLATION", what + "." + key + " must be a string or null");
            return s;
        }

        public static double Num(object v, string what)
        {
            if (!(v is double)) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must be a number");
            return (double)v;
        }

        public static long Int(object v, string what)
        {
            double d = Num(v, what);
            if (d != Math.Floor(d)) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must be an integer");
            return (long)d;
        }

        public static List<object> Arr(object v, string what)
        {
            var a = v as List<object>;
            if (a == null) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must be an array");
            return a;
        }

        public static double[] Vec(object v, int n, string what)
        {
            var a = Arr(v, what);
            if (a.Count != n) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must have " + n + " numbers");
            var r = new double[n];
            for (int i = 0; i < n; i++) r[i] = Num(a[i], what + "[" + i + "]");
            return r;
        }

        public static List<string> Strings(object v, string what)
        {
            var r = new List<string>();
            foreach (var x in Arr(v, what))
            {
                var s = x as string;
                if (s == null) throw new VibeSyncException("SCHEMA_VIOLATION", what + " must hold strings");
                r.Add(s);
            }
            return r;
        }

        public static Transform ReadTransform(object v, string what)
        {
            var d = Obj(v, what, "position", "rotation", "scale");
            return new Transform { Position = Vec(Req(d, "position", what), 3, what + ".position"), Rotation = Vec(Req(d, "rotation", what), 4, what + ".rotation"), Scale = Vec(Req(d, "scale", what), 3, what + ".scale") };
        }

        public static MeshSummary ReadMesh(object v, string what)
        {
            if (v == null) return null;
            var d = Obj(v, what, "vertexCount", "faceCount", "geometryHash", "bounds", "blob");
            var b = Obj(Req(d, "bounds", what), what + ".bounds", "min", "max");
            return new MeshSummary
            {
                VertexCount = Int(Req(d, "vertexCount", what), what + ".vertexCount"),
                FaceCount = Int(Req(d, "faceCount", what), what + ".faceCount"),
                GeometryHash = Str(d, "geometryHash", what),
                Min = Vec(Req(b, "min", what), 3, what + ".bounds.min"),
                Max = Vec(Req(b, "max", what), 3, what + ".bounds.max"),
                Blob = BlobFlag(d, what),
            };
        }

        /// <summary>`blob` is absent or exactly true.</summary>
        static bool BlobFlag(Dictionary<string, object> d, string what)
        {
            object v;
            if (!d.TryGetValue("blob", out v)) return false;
            if (!(v is bool) || !(bool)v) throw new VibeSyncException("SCHEMA_VIOLATION", what + ".blob must be true when present");
            return true;
        }

        public static SceneObject ReadObject(object v, string what)
        {
            var d = Obj(v, what, "id", "name", "type", "parent", "transform", "mesh", "materials", "light", "camera", "notSynced");
            object light, camera, mark;
            d.TryGetValue("light", out light);
            d.TryGetValue("camera", out camera);
            d.TryGetValue("notSynced", out mark);
            return new SceneObject
            {
                Light = Kinds.ReadLight(light, what + ".light"),
                Camera = Kinds.ReadCamera(camera, what + ".camera"),
                NotSynced = Kinds.ReadNotSynced(mark, what + ".notSynced"),
                Id = Str(d, "id", what),
                Name = Str(d, "name", what),
                Type = Str(d, "type", what),
                Parent = StrOrNull(d, "parent", what),
                Transform = ReadTransform(Req(d, "transform", what), what + ".transform"),
                Mesh = ReadMesh(Req(d, "mesh", what), what + ".mesh"),
                Materials = Strings(Req(d, "materials", what), what + ".materials"),
            };
        }

        public static Material ReadMaterial(object v, string what)
        {
            var d = Obj(v, what, "id", "name", "baseColor", "metallic", "roughness", "textures");
            var m = new Material
            {
                Id = Str(d, "id", what),
                Name = Str(d, "name", what),
                BaseColor = Vec(Req(d, "baseColor", what), 4, what + ".baseColor"),
                Metallic = Num(Req(d, "metallic", what), what + ".metallic"),
                Roughness = Num(Req(d, "roughness", what), what + ".roughness"),
            };
            foreach (var t in Arr(Req(d, "textures", what), what + ".textures"))
            {
                var td = Obj(t, what + ".textures[]", "slot", "width", "height", "hash", "format", "blob");
                object format;
                td.TryGetValue("format", out format);
                if (format != null && !"png".Equals(format) && !"jpeg".Equals(format)) throw new VibeSyncException("SCHEMA_VIOLATION", what + ".textures[].format must be png or jpeg");
                m.Textures.Add(new Texture
                {
                    Slot = Str(td, "slot", what), Hash = Str(td, "hash", what), Width = Int(Req(td, "width", what), "width"), Height = Int(Req(td, "height", what), "height"),
                    Format = format as string, Blob = BlobFlag(td, what + ".textures[]"),
                });
            }
            return m;
        }

        public static SceneData ReadScene(object v, string what)
        {
            var d = Obj(v, what, "objects", "materials");
            var s = new SceneData();
            foreach (var o in Arr(Req(d, "objects", what), what + ".objects")) s.Objects.Add(ReadObject(o, what + ".objects[]"));
            foreach (var m in Arr(Req(d, "materials", what), what + ".materials")) s.Materials.Add(ReadMaterial(m, what + ".materials[]"));
            return s;
        }

        // ---- writing, in the wire format ----
        public static JObj Write(Transform t)
        {
            return new JObj().Add("position", t.Position).Add("rotation", t.Rotation).Add("scale", t.Scale);
        }

        public static object Write(MeshSummary m)
        {
            if (m == null) return null;
            var j = new JObj().Add("vertexCount", m.VertexCount).Add("faceCount", m.FaceCount).Add("geometryHash", m.GeometryHash)
                .Add("bounds", new JObj().Add("min", m.Min).Add("max", m.Max));
            if (m.Blob) j.Add("blob", true);
            return j;
        }

        public static JObj Write(SceneObject o)
        {
            var j = new JObj().Add("id", o.Id).Add("name", o.Name).Add("type", o.Type).Add("parent", o.Parent)
                .Add("transform", Write(o.Transform)).Add("mesh", Write(o.Mesh)).Add("materials", o.Materials);
            if (o.Light != null) j.Add("light", Kinds.Write(o.Light));
            if (o.Camera != null) j.Add("camera", Kinds.Write(o.Camera));
            if (o.NotSynced != null) j.Add("notSynced", Kinds.Write(o.NotSynced));
            return j;
        }

        public static JObj Write(Material m)
        {
            var tex = new List<object>();
            foreach (var t in m.Textures)
            {
                var j = new JObj().Add("slot", t.Slot).Add("width", t.Width).Add("height", t.Height).Add("hash", t.Hash);
                if (t.Format != null) j.Add("format", t.Format);
                if (t.Blob) j.Add("blob", true);
                tex.Add(j);
            }
            return new JObj().Add("id", m.Id).Add("name", m.Name).Add("baseColor", m.BaseColor).Add("metallic", m.Metallic).Add("roughness", m.Roughness).Add("textures", tex);
        }

        public static JObj Write(SceneData s)
        {
            var objs = new List<object>();
            foreach (var o in s.Objects) objs.Add(Write(o));
            var mats = new List<object>();
            foreach (var m in s.Materials) mats.Add(Write(m));
            return new JObj().Add("objects", objs).Add("materials", mats);
        }
    }
}
