// What a Unity source cannot send about an object, decided from plain facts the Editor layer reads off
// its GameObject (UnityFacts in Editor/), so the rule is tested here without Unity. An object whose
// content does not travel is marked `notSynced {kind, reason}` (docs/protocol.md › notSynced): the
// panel's Sync health and /healthz show it, and it is never hashed. Never lose something silently.
using System.Collections.Generic;
using System.Text;

namespace VibeSync.Core
{
    /// <summary>What the Editor layer found on one GameObject that bears on what travels. Defaults: nothing to mark.</summary>
    public sealed class ObjectFacts
    {
        /// <summary>A SkinnedMeshRenderer (its mesh is not sent), with its bone and blend-shape counts.</summary>
        public bool Skinned;
        public int Bones, BlendShapes;
        /// <summary>A Terrain, a ParticleSystem, a TextMesh.</summary>
        public bool Terrain, Particles, Text;
        /// <summary>The type name of a renderer VibeSync does not read (SpriteRenderer, LineRenderer, TrailRenderer…), or null.</summary>
        public string OtherRenderer;
        /// <summary>The level count of a LODGroup on the object (0 without one).</summary>
        public int LodLevels;
        /// <summary>A Light / Camera component: the object travels with its type, its data is not read yet.</summary>
        public bool Light, Camera;

        // ---- the MeshFilter's mesh, when it is sent as a blob ----
        /// <summary>UV channels in use besides channel 0 (0-based: 1 is Unity's uv2, the lightmap UVs), VibeSync's own layout channel excluded.</summary>
        public List<int> ExtraUvChannels = new List<int>();
        /// <summary>Each submesh's MeshTopology by name ("Triangles", "Quads", "Lines", "LineStrip", "Points").</summary>
        public List<string> SubmeshTopologies = new List<string>();
        /// <summary>The mesh has vertex colours.</summary>
        public bool VertexColors;
    }

    public static class NotSyncedRules
    {
        public const int MaxReason = 256;

        /// <summary>Unity's name of UV channel `c` (0-based): uv, uv2 … uv8.</summary>
        public static string UvName(int c) { return c == 0 ? "uv" : "uv" + (c + 1); }

        /// <summary>The mark for an object with these facts, or null when everything it holds travels.</summary>
        public static NotSyncedMark Mark(ObjectFacts f)
        {
            if (f == null) return null;
            var parts = new List<string>();
            string kind = null;
            if (f.Skinned)
            {
                kind = "skinning";
                parts.Add("skinned mesh (SkinnedMeshRenderer, " + Count(f.Bones, "bone") + ", " + Count(f.BlendShapes, "blend shape")
                    + ") not sent: travels as an empty with its transform and materials");
            }
            if (f.Terrain) parts.Add("Terrain (heightmap, splats, trees, details) not sent: travels as an empty");
            if (f.Particles) parts.Add("ParticleSystem not sent: travels as an empty");
            if (f.Text)
            {
                if (kind == null) kind = "text";
                parts.Add("TextMesh text not sent: travels as an empty");
            }
            if (f.OtherRenderer != null) parts.Add(f.OtherRenderer + " not read: travels as an empty with its materials");
            if (f.LodLevels > 1)
                parts.Add("LODGroup (" + f.LodLevels + " levels): switching not synced, every level travels and shows at once");
            if (f.Light) parts.Add("Light data (colour, intensity, range, cone) not read yet: travels as a light without data");
            if (f.Camera) parts.Add("Camera data (projection, field of view, clip planes) not read yet: travels as a camera without data");

            if (f.ExtraUvChannels.Count > 0)
            {
                var names = new List<string>();
                foreach (var c in f.ExtraUvChannels) names.Add(UvName(c));
                parts.Add("UV channel" + (names.Count > 1 ? "s " : " ") + string.Join(", ", names.ToArray()) + " not sent (the mesh blob carries uv only)");
            }
            var dropped = new List<string>();
            var quads = new List<string>();
            for (int s = 0; s < f.SubmeshTopologies.Count; s++)
            {
                var t = f.SubmeshTopologies[s];
                if (t == "Triangles") continue;
                (t == "Quads" ? quads : dropped).Add(s + " (" + t + ")");
            }
            if (dropped.Count > 0)
                parts.Add("submesh" + (dropped.Count > 1 ? "es " : " ") + string.Join(", ", dropped.ToArray()) + " not sent (the mesh blob carries faces only; their vertices travel loose)");
            if (quads.Count > 0)
                parts.Add("submesh" + (quads.Count > 1 ? "es " : " ") + string.Join(", ", quads.ToArray()) + " sent as triangles");
            if (f.VertexColors) parts.Add("vertex colours not sent");

            if (parts.Count == 0) return null;
            return new NotSyncedMark { Kind = kind ?? "other", Reason = Cap(string.Join("; ", parts.ToArray())) };
        }

        static string Count(int n, string what) { return n + " " + what + (n == 1 ? "" : "s"); }

        /// <summary>The protocol's reason is 1–256 characters: a longer one is cut, ending in an ellipsis.</summary>
        public static string Cap(string reason)
        {
            if (reason.Length <= MaxReason) return reason;
            var sb = new StringBuilder(reason, 0, MaxReason - 1, MaxReason);
            // never cut a surrogate pair in two
            if (char.IsHighSurrogate(sb[sb.Length - 1])) sb.Length--;
            return sb.Append('…').ToString();
        }

        /// <summary>Two marks say the same (null equals null).</summary>
        public static bool Same(NotSyncedMark a, NotSyncedMark b)
        {
            if (a == null || b == null) return a == b;
            return a.Kind == b.Kind && a.Reason == b.Reason;
        }
    }
}
