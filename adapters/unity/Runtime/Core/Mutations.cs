// Applying one wire mutation to an IScene. Every mutation is parsed fully before anything is
// written, so a malformed one changes nothing.
using System.Collections.Generic;

namespace VibeSync.Core
{
    public static class Mutations
    {
        static readonly string[] Base = { "mid", "targets", "op" };
        static string[] With(params string[] extra) { var r = new List<string>(Base); r.AddRange(extra); return r.ToArray(); }

        /// <summary>The subject a mutation touches: ("object"|"material", id).</summary>
        public static KeyValuePair<string, string> Subject(Dictionary<string, object> m)
        {
            var op = Wire.Str(m, "op", "mutation");
            if (op == "set_material") return new KeyValuePair<string, string>("material", Wire.Str(m, "materialId", "mutation"));
            if (op == "upsert_material") return new KeyValuePair<string, string>("material", Wire.Str(Wire.Obj(Wire.Req(m, "material", "mutation"), "material", "id", "name", "baseColor", "metallic", "roughness", "textures"), "id", "material"));
            if (op == "create") return new KeyValuePair<string, string>("object", Wire.Str(Wire.Obj(Wire.Req(m, "object", "mutation"), "object", "id", "name", "type", "parent", "transform", "mesh", "materials", "light", "camera", "notSynced"), "id", "object"));
            return new KeyValuePair<string, string>("object", Wire.Str(m, "objectId", "mutation"));
        }

        static SceneObject Existing(IScene scene, string id)
        {
            var o = scene.ReadObject(id);
            if (o == null) throw new VibeSyncException("UNKNOWN_OBJECT", "no object \"" + id + "\"");
            return o;
        }

        public static void Apply(IScene scene, object raw)
        {
            var m = raw as Dictionary<string, object>;
            if (m == null) throw new VibeSyncException("SCHEMA_VIOLATION", "a mutation must be an object");
            var op = Wire.Str(m, "op", "mutation");
            if (op == "set_transform")
            {
                Wire.Obj(m, "mutation", With("objectId", "transform"));
                var t = Wire.Obj(Wire.Req(m, "transform", "mutation"), "transform", "position", "rotation", "scale");
                object v;
                double[] p = t.TryGetValue("position", out v) ? Wire.Vec(v, 3, "position") : null;
                double[] r = t.TryGetValue("rotation", out v) ? Wire.Vec(v, 4, "rotation") : null;
                double[] s = t.TryGetValue("scale", out v) ? Wire.Vec(v, 3, "scale") : null;
                var o = Existing(scene, Wire.Str(m, "objectId", "mutation"));
                if (p != null) o.Transform.Position = p;
                if (r != null) o.Transform.Rotation = r;
                if (s != null) o.Transform.Scale = s;
                scene.WriteObject(o);
            }
            else if (op == "set_props")
            {
                Wire.Obj(m, "mutation", With("objectId", "props"));
                var pr = Wire.Obj(Wire.Req(m, "props", "mutation"), "props", "name", "parent", "materials", "mesh", "light", "camera", "notSynced");
                var o = Existing(scene, Wire.Str(m, "objectId", "mutation"));
                object v;
                if (pr.TryGetValue("name", out v)) o.Name = Wire.Str(pr, "name", "props");
                if (pr.TryGetValue("parent", out v)) o.Parent = Wire.StrOrNull(pr, "parent", "props");
                if (pr.TryGetValue("materials", out v)) o.Materials = Wire.Strings(v, "props.materials");
                if (pr.TryGetValue("mesh", out v)) o.Mesh = Wire.ReadMesh(v, "props.mesh");
                if (pr.TryGetValue("light", out v)) o.Light = Kinds.ReadLight(v, "props.light");
                if (pr.TryGetValue("camera", out v)) o.Camera = Kinds.ReadCamera(v, "props.camera");
                if (pr.TryGetValue("notSynced", out v)) o.NotSynced = Kinds.ReadNotSynced(v, "props.notSynced");
                scene.WriteObject(o);
            }
            else if (op == "set_material")
            {
                Wire.Obj(m, "mutation", With("materialId", "changes"));
                var c = Wire.Obj(Wire.Req(m, "changes", "mutation"), "changes", "name", "baseColor", "metallic", "roughness");
                var id = Wire.Str(m, "materialId", "mutation");
                var mat = scene.ReadMaterial(id);
                if (mat == null) throw new VibeSyncException("UNKNOWN_OBJECT", "no material \"" + id + "\"");
                object v;
                if (c.TryGetValue("name", out v)) mat.Name = Wire.Str(c, "name", "changes");
                if (c.TryGetValue("baseColor", out v)) mat.BaseColor = Wire.Vec(v, 4, "changes.baseColor");
                if (c.TryGetValue("metallic", out v)) mat.Metallic = Wire.Num(v, "changes.metallic");
                if (c.TryGetValue("roughness", out v)) mat.Roughness = Wire.Num(v, "changes.roughness");
                scene.WriteMaterial(mat);
            }
            else if (op == "create")
            {
                Wire.Obj(m, "mutation", With("object"));
                scene.WriteObject(Wire.ReadObject(Wire.Req(m, "object", "mutation"), "object"));
            }
            else if (op == "delete")
            {
                Wire.Obj(m, "mutation", With("objectId"));
                var id = Wire.Str(m, "objectId", "mutation");
                Existing(scene, id);
                scene.RemoveObject(id);
            }
            else if (op == "upsert_material")
            {
                Wire.Obj(m, "mutation", With("material"));
                scene.WriteMaterial(Wire.ReadMaterial(Wire.Req(m, "material", "mutation"), "material"));
            }
            else throw new VibeSyncException("SCHEMA_VIOLATION", "unknown op \"" + op + "\"");
        }
    }
}
