// COMPILE CHECK ONLY. Signature-only stand-ins, written by us from Unity's public scripting API
// documentation, for exactly the UnityEngine / UnityEditor members the Editor layer calls, so CI
// (Mono's mcs, no Unity) can type-check Editor/. Nothing here behaves like Unity; nothing runs.
// A member the Editor layer starts to use must be added here, with the documented signature.
using System;

namespace UnityEngine.Rendering
{
    public enum IndexFormat { UInt16 = 0, UInt32 = 1 }
    public enum VertexAttribute
    {
        Position = 0, Normal = 1, Tangent = 2, Color = 3, TexCoord0 = 4, TexCoord1 = 5, TexCoord2 = 6, TexCoord3 = 7,
        TexCoord4 = 8, TexCoord5 = 9, TexCoord6 = 10, TexCoord7 = 11, BlendWeight = 12, BlendIndices = 13,
    }
}

namespace UnityEngine
{
    public enum HideFlags { None = 0 }
    public class Object
    {
        public string name { get; set; }
        public HideFlags hideFlags { get; set; }
        public int GetInstanceID() { throw new NotImplementedException(); }
        public static T[] FindObjectsOfType<T>() where T : Object { throw new NotImplementedException(); }
        public static bool operator ==(Object a, Object b) { throw new NotImplementedException(); }
        public static bool operator !=(Object a, Object b) { throw new NotImplementedException(); }
        public override bool Equals(object o) { throw new NotImplementedException(); }
        public override int GetHashCode() { throw new NotImplementedException(); }
    }
    public class ScriptableObject : Object { }
    public class Component : Object
    {
        public GameObject gameObject { get { throw new NotImplementedException(); } }
        public Transform transform { get { throw new NotImplementedException(); } }
    }
    public class Transform : Component
    {
        public Vector3 localPosition { get; set; }
        public Quaternion localRotation { get; set; }
        public Vector3 localScale { get; set; }
        public Transform parent { get; set; }
        public bool hasChanged { get; set; }
    }
    public sealed class GameObject : Object
    {
        public GameObject(string name) { throw new NotImplementedException(); }
        public Transform transform { get { throw new NotImplementedException(); } }
        public T GetComponent<T>() { throw new NotImplementedException(); }
        public T[] GetComponents<T>() { throw new NotImplementedException(); }
        public T AddComponent<T>() where T : Component { throw new NotImplementedException(); }
    }
    public struct Vector3
    {
        public float x, y, z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
    }
    public struct Quaternion
    {
        public float x, y, z, w;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
    }
    public struct Color
    {
        public float r, g, b, a;
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static Color white { get { throw new NotImplementedException(); } }
        public Color linear { get { throw new NotImplementedException(); } }
        public float maxColorComponent { get { throw new NotImplementedException(); } }
        public Color gamma { get { throw new NotImplementedException(); } }
    }
    public sealed class Shader : Object { public static Shader Find(string name) { throw new NotImplementedException(); } }
    public class Material : Object
    {
        public Material(Shader shader) { throw new NotImplementedException(); }
        public bool HasProperty(string name) { throw new NotImplementedException(); }
        public Color GetColor(string name) { throw new NotImplementedException(); }
        public void SetColor(string name, Color value) { throw new NotImplementedException(); }
        public float GetFloat(string name) { throw new NotImplementedException(); }
        public void SetFloat(string name, float value) { throw new NotImplementedException(); }
        public Texture GetTexture(string name) { throw new NotImplementedException(); }
        public void SetTexture(string name, Texture value) { throw new NotImplementedException(); }
        public void EnableKeyword(string keyword) { throw new NotImplementedException(); }
        public void DisableKeyword(string keyword) { throw new NotImplementedException(); }
    }
    public class Texture : Object { }
    public enum TextureFormat { RGBA32 = 4 }
    public sealed class Texture2D : Texture
    {
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain, bool linear) { throw new NotImplementedException(); }
    }
    public static class ImageConversion
    {
        public static bool LoadImage(this Texture2D tex, byte[] data) { throw new NotImplementedException(); }
    }
    public sealed class Mesh : Object
    {
        public Mesh() { throw new NotImplementedException(); }
        public Vector3[] vertices { get; set; }
        public int[] triangles { get; set; }
        public Vector2[] uv { get; set; }
        public int vertexCount { get { throw new NotImplementedException(); } }
        public int subMeshCount { get; set; }
        public Rendering.IndexFormat indexFormat { get; set; }
        public int[] GetTriangles(int submesh) { throw new NotImplementedException(); }
        public MeshTopology GetTopology(int submesh) { throw new NotImplementedException(); }
        public bool HasVertexAttribute(Rendering.VertexAttribute attr) { throw new NotImplementedException(); }
        public int blendShapeCount { get { throw new NotImplementedException(); } }
        public void SetTriangles(System.Collections.Generic.List<int> triangles, int submesh) { throw new NotImplementedException(); }
        public void SetVertices(System.Collections.Generic.List<Vector3> inVertices) { throw new NotImplementedException(); }
        public void SetUVs(int channel, System.Collections.Generic.List<Vector2> uvs) { throw new NotImplementedException(); }
        public void GetUVs(int channel, System.Collections.Generic.List<Vector2> uvs) { throw new NotImplementedException(); }
        public void RecalculateNormals() { throw new NotImplementedException(); }
        public void RecalculateBounds() { throw new NotImplementedException(); }
    }
    public struct Vector2
    {
        public float x, y;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
    }
    public static class Mathf { public static int Max(int a, int b) { throw new NotImplementedException(); } }
    public sealed class MeshFilter : Component { public Mesh sharedMesh { get; set; } }
    public sealed class MeshRenderer : Renderer { }
    public class Renderer : Component { public Material[] sharedMaterials { get; set; } }
    public sealed class Light : Component { }
    public enum MeshTopology { Triangles = 0, Quads = 2, Lines = 3, LineStrip = 4, Points = 5 }
    public class Behaviour : Component { }
    public sealed class SkinnedMeshRenderer : Renderer
    {
        public Mesh sharedMesh { get; set; }
        public Transform[] bones { get; set; }
    }
    public sealed class ParticleSystemRenderer : Renderer { }
    public sealed class ParticleSystem : Component { }
    public sealed class Terrain : Behaviour { }
    public sealed class TextMesh : Component { }
    public sealed class LODGroup : Component { public int lodCount { get; set; } }
    public sealed class Camera : Component { }
    public static class Debug { public static void Log(object message) { throw new NotImplementedException(); } }
    public static class Application { public static string unityVersion { get { throw new NotImplementedException(); } } }
    public class GUILayoutOption { }
    public static class GUILayout { public static bool Button(string text, params GUILayoutOption[] options) { throw new NotImplementedException(); } }
}

namespace UnityEditor
{
    using UnityEngine;

    [AttributeUsage(AttributeTargets.Class)] public sealed class InitializeOnLoadAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class MenuItem : Attribute { public MenuItem(string itemName) { } }

    public static class Undo
    {
        public static void RecordObject(Object objectToUndo, string name) { throw new NotImplementedException(); }
        public static void RegisterCreatedObjectUndo(Object objectToUndo, string name) { throw new NotImplementedException(); }
        public static void DestroyObjectImmediate(Object objectToUndo) { throw new NotImplementedException(); }
        public static void SetTransformParent(Transform transform, Transform newParent, string name) { throw new NotImplementedException(); }
        public static void IncrementCurrentGroup() { throw new NotImplementedException(); }
    }
    public static class EditorApplication
    {
        public delegate void CallbackFunction();
        public static CallbackFunction update;
    }
    public static class AssemblyReloadEvents
    {
        public delegate void AssemblyReloadCallback();
        public static event AssemblyReloadCallback beforeAssemblyReload { add { } remove { } }
    }
    public enum ObjectChangeKind { None = 0, ChangeAssetObjectProperties = 10 }
    public struct ChangeAssetObjectPropertiesEventArgs
    {
        public int instanceId { get { throw new NotImplementedException(); } }
    }
    public struct ObjectChangeEventStream
    {
        public int length { get { throw new NotImplementedException(); } }
        public ObjectChangeKind GetEventType(int eventIdx) { throw new NotImplementedException(); }
        public void GetChangeAssetObjectPropertiesEvent(int eventIdx, out ChangeAssetObjectPropertiesEventArgs data) { throw new NotImplementedException(); }
    }
    public static class EditorUtility
    {
        public static int GetDirtyCount(Object target) { throw new NotImplementedException(); }
    }
    public static class ObjectChangeEvents
    {
        public delegate void ObjectChangeEventsHandler(ref ObjectChangeEventStream stream);
        public static event ObjectChangeEventsHandler changesPublished { add { } remove { } }
    }
    public static class SessionState
    {
        public static bool GetBool(string key, bool defaultValue) { throw new NotImplementedException(); }
        public static void SetBool(string key, bool value) { throw new NotImplementedException(); }
        public static int GetInt(string key, int defaultValue) { throw new NotImplementedException(); }
        public static void SetInt(string key, int value) { throw new NotImplementedException(); }
        public static string GetString(string key, string defaultValue) { throw new NotImplementedException(); }
        public static void SetString(string key, string value) { throw new NotImplementedException(); }
    }
    public static class AssetDatabase
    {
        public static string GetAssetPath(Object assetObject) { throw new NotImplementedException(); }
    }
    public static class EditorPrefs
    {
        public static string GetString(string key, string defaultValue) { throw new NotImplementedException(); }
        public static void SetString(string key, string value) { throw new NotImplementedException(); }
    }
    public struct GlobalObjectId
    {
        public static GlobalObjectId GetGlobalObjectIdSlow(Object targetObject) { throw new NotImplementedException(); }
        public static bool TryParse(string stringValue, out GlobalObjectId id) { throw new NotImplementedException(); }
        public static Object GlobalObjectIdentifierToObjectSlow(GlobalObjectId id) { throw new NotImplementedException(); }
    }
    public static class EditorGUILayout
    {
        public static void LabelField(string label, string label2, params GUILayoutOption[] options) { throw new NotImplementedException(); }
        public static string TextField(string label, string text, params GUILayoutOption[] options) { throw new NotImplementedException(); }
        public static string PasswordField(string label, string password, params GUILayoutOption[] options) { throw new NotImplementedException(); }
    }
    public class EditorWindow : ScriptableObject
    {
        public static T GetWindow<T>(string title) where T : EditorWindow { throw new NotImplementedException(); }
        public void Repaint() { throw new NotImplementedException(); }
    }
}
