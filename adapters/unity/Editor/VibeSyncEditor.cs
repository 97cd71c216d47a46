// The Editor glue, kept thin over the core: one Runner per editor session, frames applied on the
// main thread (EditorApplication.update), local edits found through ObjectChangeEvents and
// Transform.hasChanged polling (live drags) and, for meshes, MeshWatch over a cheap per-frame key
// (PollMeshes), and a domain reload reported as `busy reloading` followed by a new connection with
// generation + 1 (the generation is kept in SessionState).
using System;
using System.Collections.Generic;
using UnityEditor;
using UnityEngine;
using VibeSync.Core;

namespace VibeSync.Editor
{
    [InitializeOnLoad]
    public static class VibeSyncEditor
    {
        const string GenerationKey = "VibeSync.Generation";
        public const string UrlPref = "VibeSync.Url", TokenPref = "VibeSync.Token", NamePref = "VibeSync.Name", TargetsPref = "VibeSync.Targets";
        static readonly Queue<Action> mainThread = new Queue<Action>();
        static Runner runner;
        static UnityScene scene;
        static bool applying;

        static VibeSyncEditor()
        {
            EditorApplication.update += Pump;
            AssemblyReloadEvents.beforeAssemblyReload += BeforeReload;
            ObjectChangeEvents.changesPublished += OnChanges;
            if (SessionState.GetBool("VibeSync.Connected", false)) Connect();
        }

        public static string Status
        {
            get
            {
                if (runner == null) return "Not connected";
                var s = runner.Session;
                if (runner.Fatal != null) return "Refused: " + runner.Fatal;
                if (s == null || s.State != ConnectionState.Live) return "Connecting…";
                return "Live (generation " + s.Generation + "), in flight: " + s.Unacked.Count + " not yet acknowledged, " + s.OpenTransactions + " transactions open";
            }
        }

        public static void Connect()
        {
            Disconnect();
            // A domain reload is an engine reload: the next connection carries generation + 1.
            long generation = SessionState.GetInt(GenerationKey, 0) + 1;
            SessionState.SetInt(GenerationKey, (int)generation);
            SessionState.SetBool("VibeSync.Connected", true);
            scene = new UnityScene();
            scene.LoadMap();
            var opts = new SessionOptions
            {
                Token = EditorPrefs.GetString(TokenPref, ""),
                Name = EditorPrefs.GetString(NamePref, "unity"),
                Roles = new[] { "source", "target" },
                Targets = EditorPrefs.GetString(TargetsPref, "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries),
                Generation = generation,
                EngineVersion = Application.unityVersion,
            };
            runner = new Runner(EditorPrefs.GetString(UrlPref, "ws://127.0.0.1:7420/adapter"), opts, scene, scene.Blobs);
            runner.Dispatch = work => { lock (mainThread) mainThread.Enqueue(work); };
            runner.OnLog += line => Debug.Log("[VibeSync] " + line);
            // off the main thread: the socket never waits on (or for) the editor's update loop
            System.Threading.Tasks.Task.Run(() => runner.RunAsync());
        }

        public static void Disconnect()
        {
            SessionState.SetBool("VibeSync.Connected", false);
            if (runner != null) runner.StopAsync();
            runner = null;
        }

        static void BeforeReload()
        {
            if (runner == null || runner.Session == null) return;
            lock (runner.Gate) runner.Session.SendBusy("reloading", 30000);
            runner.StopAsync();
            SessionState.SetBool("VibeSync.Connected", true); // reconnect after the reload, with generation + 1
        }

        static void Pump()
        {
            while (true)
            {
                Action work;
                lock (mainThread)
                {
                    if (mainThread.Count == 0) break;
                    work = mainThread.Dequeue();
                }
                applying = true;
                Undo.IncrementCurrentGroup();
                try { work(); }
                finally { applying = false; }
            }
            PollDrags();
            PollMeshes();
        }

        static void OnChanges(ref ObjectChangeEventStream stream)
        {
            if (applying) return;
            // a mesh asset changed (a modelling tool, an Undo of one): mark the objects that use it, so the next frame reads them
            for (int i = 0; i < stream.length; i++)
            {
                if (stream.GetEventType(i) != ObjectChangeKind.ChangeAssetObjectProperties) continue;
                ChangeAssetObjectPropertiesEventArgs e;
                stream.GetChangeAssetObjectPropertiesEvent(i, out e);
                string id;
                if (meshUsers.TryGetValue(e.instanceId, out id)) scene.Watch.Mark(id);
            }
            PollDrags();
        }

        /// <summary>Mesh instance id → the object showing it, from the last frame (for ObjectChangeEvents marks).</summary>
        static readonly Dictionary<int, string> meshUsers = new Dictionary<int, string>();

        /// <summary>
        /// Meshes the user edited since the last frame: MeshWatch compares each MeshFilter's cheap key (mesh instance, vertex
        /// count, EditorUtility.GetDirtyCount) and reads back and hashes only the meshes whose key moved or that an event marked;
        /// the changed ones are uploaded (ask, then send) and sent as one batch of set_props mesh, each with the object's notSynced mark.
        /// </summary>
        static void PollMeshes()
        {
            if (runner == null || runner.Session == null || runner.Session.State != ConnectionState.Live || !runner.Session.IsSource) return;
            var filters = new Dictionary<string, MeshFilter>();
            meshUsers.Clear();
            foreach (var f in UnityEngine.Object.FindObjectsOfType<MeshFilter>())
            {
                if (f.gameObject.hideFlags != HideFlags.None) continue;
                var id = scene.IdOf(f.gameObject);
                filters[id] = f;
                if (f.sharedMesh != null) meshUsers[f.sharedMesh.GetInstanceID()] = id;
            }
            var changes = scene.Watch.Poll(filters.Keys, id => UnityScene.MeshKey(filters[id].sharedMesh), id =>
            {
                var mesh = filters[id].sharedMesh;
                return mesh == null ? null : MeshExport.Read(mesh);
            });
            // the mark goes with the edit: a mesh edit can add or remove what the blob cannot carry (uv2, a Lines submesh)
            foreach (var c in changes) { c.HasMark = true; c.NotSynced = scene.MarkOf(c.ObjectId, filters[c.ObjectId].gameObject); }
            if (changes.Count > 0) lock (runner.Gate) MeshWatch.Send(runner.Session, scene.Blobs, changes);
        }

        /// <summary>
        /// Transforms the user moved since the last frame (a drag), each whole as held now: one live frame when welcome
        /// granted the live lane (numbered by the session; durable at live_settled), else one batch (Session.SendMoves).
        /// </summary>
        static void PollDrags()
        {
            if (runner == null || runner.Session == null || runner.Session.State != ConnectionState.Live || !runner.Session.IsSource) return;
            var moved = new List<SceneObject>();
            foreach (var t in UnityEngine.Object.FindObjectsOfType<UnityEngine.Transform>())
            {
                if (!t.hasChanged) continue;
                t.hasChanged = false;
                moved.Add(scene.ReadObject(scene.IdOf(t.gameObject)));
            }
            if (moved.Count > 0) lock (runner.Gate) runner.Session.SendMoves(moved);
        }
    }
}
