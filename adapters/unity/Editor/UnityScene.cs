// IScene over the open Unity scene: GameObjects read and written in canonical terms, converting
// axes at the edge (Coordinates). Ids: a GameObject this engine made keeps its GlobalObjectId;
// one created by another engine is mapped to the id it arrived with (the map survives a domain
// reload in SessionState). Every write is recorded with Undo, so each transaction is one Undo group.
using System.Collections.Generic;
using UnityEditor;
using UnityEngine;
using VibeSync.Core;
using CoreMaterial = VibeSync.Core.Material;
using CoreTransform = VibeSync.Core.Transform;

namespace VibeSync.Editor
{
    public sealed class UnityScene : IScene, ILiveScene
    {
        const string MapKey = "VibeSync.IdMap";
        readonly Dictionary<string, GameObject> byId = new Dictionary<string, GameObject>();
        readonly Dictionary<string, UnityEngine.Material> materials = new Dictionary<string, UnityEngine.Material>();
        /// <summary>Every blob this editor holds: the meshes it exported, and the blobs the orchestrator sent.</summary>
        public readonly BlobStore Blobs = new BlobStore();
        /// <summary>Meshes decoded from blobs, by hash (a blob used by many objects is decoded once).</summary>
        readonly Dictionary<string, MeshGeometry> decoded = new Dictionary<string, MeshGeometry>();
        const string MeshNamePrefix = "VibeSync ", TexturePrefix = "VibeSync ";
        /// <summary>The image file each Texture2D made here was loaded from: what it reports and hashes (Unity keeps only pixels).</summary>
        readonly Dictionary<UnityEngine.Texture, byte[]> textureFiles = new Dictionary<UnityEngine.Texture, byte[]>();

        /// <summary>
        /// notSynced marks that arrived with objects this editor holds (a Blender armature travels as an empty): kept, and
        /// reported back while Unity finds nothing of its own to mark, so a snapshot from Unity does not drop them.
        /// </summary>
        readonly Dictionary<string, NotSyncedMark> receivedMarks = new Dictionary<string, NotSyncedMark>();

        /// <summary>Meshes edited in the editor, found per frame (VibeSyncEditor.PollMeshes); meshes written here are recorded as known.</summary>
        public readonly MeshWatch Watch = new MeshWatch();

        /// <summary>The cheap per-frame key of a mesh: which Mesh it is, its vertex count, and how often its serialized data changed.</summary>
        public static long MeshKey(Mesh m)
        {
            return m == null ? -1 : MeshWatch.Key(m.GetInstanceID(), m.vertexCount, EditorUtility.GetDirtyCount(m));
        }

        public string IdOf(GameObject go)
        {
            foreach (var kv in byId) if (kv.Value == go) return kv.Key;
            var id = GlobalObjectId.GetGlobalObjectIdSlow(go).ToString();
            byId[id] = go;
            return id;
        }

        GameObject Find(string id)
        {
            GameObject go;
            return byId.TryGetValue(id, out go) && go != null ? go : null;
        }

        public IEnumerable<SceneObject> Objects
        {
            get
            {
                foreach (var go in Object.FindObjectsOfType<GameObject>())
                    if (go.hideFlags == HideFlags.None) yield return ReadObject(IdOf(go));
            }
        }

        public IEnumerable<CoreMaterial> Materials
        {
            get { foreach (var id in new List<string>(materials.Keys)) yield return ReadMaterial(id); }
        }

        public SceneObject ReadObject(string id)
        {
            var go = Find(id);
            if (go == null) return null;
            var t = go.transform;
            Vector3 p = t.localPosition, s = t.localScale;
            Quaternion q = t.localRotation;
            var o = new SceneObject
            {
                Id = id,
                Name = go.name,
                Parent = t.parent == null ? null : IdOf(t.parent.gameObject),
                Transform = new CoreTransform
                {
                    Position = Coordinates.UnityToCanonicalPosition(p.x, p.y, p.z),
                    Rotation = Coordinates.UnityToCanonicalRotation(q.x, q.y, q.z, q.w),
                    Scale = Coordinates.UnityToCanonicalScale(s.x, s.y, s.z),
                },
                Type = go.GetComponent<Light>() != null ? "light" : go.GetComponent<Camera>() != null ? "camera" : go.GetComponent<MeshFilter>() != null ? "mesh" : "empty",
            };
            var filter = go.GetComponent<MeshFilter>();
            if (filter != null && filter.sharedMesh != null)
            {
                // the mesh Unity holds, read back and encoded: its blob is kept for upload, its hash is what Unity holds
                o.Geometry = MeshExport.Read(filter.sharedMesh);
                o.Mesh = o.Geometry.Summary();
                Blobs.Put(o.Mesh.GeometryHash, o.Geometry.Encoded());
            }
            var renderer = go.GetComponent<Renderer>();
            if (renderer != null)
                foreach (var m in renderer.sharedMaterials)
                    if (m != null) o.Materials.Add(MaterialIdOf(m));
            o.NotSynced = MarkOf(id, go);
            return o;
        }

        /// <summary>What this object's content does not send (UnityFacts → NotSyncedRules), else the mark it arrived with, or null.</summary>
        public NotSyncedMark MarkOf(string id, GameObject go)
        {
            var own = NotSyncedRules.Mark(UnityFacts.Read(go));
            NotSyncedMark received;
            return own ?? (receivedMarks.TryGetValue(id, out received) ? received : null);
        }

        string MaterialIdOf(UnityEngine.Material m)
        {
            foreach (var kv in materials) if (kv.Value == m) return kv.Key;
            var id = GlobalObjectId.GetGlobalObjectIdSlow(m).ToString();
            materials[id] = m;
            return id;
        }

        public CoreMaterial ReadMaterial(string id)
        {
            UnityEngine.Material m;
            if (!materials.TryGetValue(id, out m) || m == null) return null;
            var r = MaterialBridge.Read(id, m);
            r.Textures = TextureBridge.Read(m, textureFiles, Blobs);
            return r;
        }

        public void WriteObject(SceneObject o)
        {
            var go = Find(o.Id);
            if (go == null)
            {
                go = new GameObject(o.Name);
                Undo.RegisterCreatedObjectUndo(go, "VibeSync create " + o.Name);
                byId[o.Id] = go;
            }
            Undo.RecordObject(go, "VibeSync");
            Undo.RecordObject(go.transform, "VibeSync");
            go.name = o.Name;
            var parent = o.Parent == null ? null : Find(o.Parent);
            if (go.transform.parent != (parent == null ? null : parent.transform))
                Undo.SetTransformParent(go.transform, parent == null ? null : parent.transform, "VibeSync parent");
            var p = Coordinates.CanonicalToUnityPosition(o.Transform.Position);
            var q = Coordinates.CanonicalToUnityRotation(o.Transform.Rotation);
            go.transform.localPosition = new Vector3((float)p[0], (float)p[1], (float)p[2]);
            go.transform.localRotation = new Quaternion((float)q[0], (float)q[1], (float)q[2], (float)q[3]);
            go.transform.localScale = new Vector3((float)o.Transform.Scale[0], (float)o.Transform.Scale[1], (float)o.Transform.Scale[2]);
            go.transform.hasChanged = false;
            WriteMesh(go, o);
            // a mark Unity finds itself is read back from the object; only one it cannot find (made elsewhere) is kept
            if (o.NotSynced != null && NotSyncedRules.Mark(UnityFacts.Read(go)) == null) receivedMarks[o.Id] = o.NotSynced;
            else receivedMarks.Remove(o.Id);
            SaveMap();
        }

        /// <summary>
        /// A live frame's record (docs/protocol.md "Live lane"): the transform only, written in place at once, converted at the
        /// edge like WriteObject, without reading the object (and its mesh) back and without Undo: it is a preview, and its
        /// settle arrives as a transaction (one Undo group). hasChanged is cleared, so it is never taken for the user's drag.
        /// </summary>
        public bool WriteLiveTransform(string id, CoreTransform t)
        {
            var go = Find(id);
            if (go == null) return false;
            var p = Coordinates.CanonicalToUnityPosition(t.Position);
            var q = Coordinates.CanonicalToUnityRotation(t.Rotation);
            go.transform.localPosition = new Vector3((float)p[0], (float)p[1], (float)p[2]);
            go.transform.localRotation = new Quaternion((float)q[0], (float)q[1], (float)q[2], (float)q[3]);
            go.transform.localScale = new Vector3((float)t.Scale[0], (float)t.Scale[1], (float)t.Scale[2]);
            go.transform.hasChanged = false;
            return true;
        }

        /// <summary>
        /// A mesh that arrives as a blob becomes a Unity Mesh (MeshBuild), rebuilt only when the blob changes; its
        /// renderer gets the object's materials, one per slot. A summary-only mesh (no blob) cannot be built: the
        /// object keeps what it holds, reads back differently, and the transaction rolls back (visible, never echoed).
        /// </summary>
        void WriteMesh(GameObject go, SceneObject o)
        {
            if (o.Mesh == null || !o.Mesh.Blob) return;
            var filter = go.GetComponent<MeshFilter>();
            if (filter == null) filter = go.AddComponent<MeshFilter>();
            if (filter.sharedMesh == null || filter.sharedMesh.name != MeshNamePrefix + o.Mesh.GeometryHash)
            {
                var g = MeshImport.Resolve(o.Mesh, null, Blobs, o.Id, decoded);
                Undo.RecordObject(filter, "VibeSync mesh");
                filter.sharedMesh = MeshBuild.Build(g, MeshNamePrefix + o.Mesh.GeometryHash);
            }
            // what arrived is what the orchestrator knows: not an edit to send back (a read-back that differs is found and sent)
            Watch.Known(o.Id, MeshKey(filter.sharedMesh), o.Mesh.GeometryHash);
            var renderer = go.GetComponent<MeshRenderer>();
            if (renderer == null) renderer = go.AddComponent<MeshRenderer>();
            var mats = new List<UnityEngine.Material>();
            foreach (var id in o.Materials)
            {
                UnityEngine.Material m;
                if (materials.TryGetValue(id, out m) && m != null) mats.Add(m);
            }
            renderer.sharedMaterials = mats.ToArray();
        }

        public void RemoveObject(string id)
        {
            var go = Find(id);
            if (go != null) Undo.DestroyObjectImmediate(go);
            byId.Remove(id);
            receivedMarks.Remove(id);
            Watch.Forget(id);
            SaveMap();
        }

        public void WriteMaterial(CoreMaterial m)
        {
            UnityEngine.Material mat;
            if (!materials.TryGetValue(m.Id, out mat) || mat == null)
            {
                mat = MaterialBridge.Create();
                materials[m.Id] = mat;
            }
            Undo.RecordObject(mat, "VibeSync material");
            MaterialBridge.Write(mat, m);
            // the files of its texture blobs (a texture whose file never arrived is not held, so it is not reported)
            TextureBridge.Write(mat, TextureFiles.HoldAll(m.Textures, Blobs), textureFiles, TexturePrefix + m.Id);
        }

        public void RemoveMaterial(string id) { materials.Remove(id); }

        /// <summary>id → GlobalObjectId, kept across a domain reload (SessionState lives as long as the editor).</summary>
        void SaveMap()
        {
            var lines = new List<string>();
            foreach (var kv in byId) if (kv.Value != null) lines.Add(kv.Key + "\t" + GlobalObjectId.GetGlobalObjectIdSlow(kv.Value).ToString());
            SessionState.SetString(MapKey, string.Join("\n", lines.ToArray()));
        }

        public void LoadMap()
        {
            foreach (var line in SessionState.GetString(MapKey, "").Split('\n'))
            {
                var parts = line.Split('\t');
                GlobalObjectId gid;
                if (parts.Length != 2 || !GlobalObjectId.TryParse(parts[1], out gid)) continue;
                var go = GlobalObjectId.GlobalObjectIdentifierToObjectSlow(gid) as GameObject;
                if (go != null) byId[parts[0]] = go;
            }
        }
    }
}
