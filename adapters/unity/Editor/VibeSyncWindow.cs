// Window > VibeSync: the orchestrator URL, the engine name and targets, the token (in EditorPrefs,
// per user and machine, never in the project), and the connection status.
using UnityEditor;
using UnityEngine;

namespace VibeSync.Editor
{
    public sealed class VibeSyncWindow : EditorWindow
    {
        [MenuItem("Window/VibeSync")]
        public static void Open() { GetWindow<VibeSyncWindow>("VibeSync"); }

        void OnGUI()
        {
            Field("Orchestrator URL", VibeSyncEditor.UrlPref, "ws://127.0.0.1:7420/adapter", false);
            Field("Engine name", VibeSyncEditor.NamePref, "unity", false);
            Field("Targets (comma-separated)", VibeSyncEditor.TargetsPref, "", false);
            Field("Token", VibeSyncEditor.TokenPref, "", true);
            EditorGUILayout.LabelField("Status", VibeSyncEditor.Status);
            if (GUILayout.Button("Connect")) VibeSyncEditor.Connect();
            if (GUILayout.Button("Disconnect")) VibeSyncEditor.Disconnect();
        }

        static void Field(string label, string key, string fallback, bool secret)
        {
            var value = EditorPrefs.GetString(key, fallback);
            var edited = secret ? EditorGUILayout.PasswordField(label, value) : EditorGUILayout.TextField(label, value);
            if (edited != value) EditorPrefs.SetString(key, edited);
        }

        void OnInspectorUpdate() { Repaint(); }
    }
}
