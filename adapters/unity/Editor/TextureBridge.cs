// A material's textures in Unity: each image file that arrives as a texture blob is decoded with
// Texture2D.LoadImage and assigned to the shader property of its slot, and its original bytes are
// kept beside it, so what is reported (and hashed) is the file Unity was given, never Unity's own
// re-encoding and never the reference it was told. A slot with no Unity property (roughness, alpha),
// or a file Unity cannot decode, is not held: the material reads back without it and the hash check
// fails visibly. A texture a user assigned in Unity is exported from its asset's file when that is a
// PNG or JPEG (the file as it is on disk, hashed as is).
using System.Collections.Generic;
using System.IO;
using UnityEditor;
using UnityEngine;
using VibeSync.Core;
using CoreTexture = VibeSync.Core.Texture;
using Material = UnityEngine.Material;

namespace VibeSync.Editor
{
    public static class TextureBridge
    {
        /// <summary>Where each slot goes, the first property the shader has wins: URP/Lit, then Built-in Standard (HDRP/Lit: base colour only).</summary>
        sealed class SlotMap
        {
            public string Slot, Keyword;
            public string[] Properties;
            public bool Linear;
        }

        static readonly SlotMap[] Slots =
        {
            new SlotMap { Slot = "base_color", Properties = new[] { "_BaseMap", "_BaseColorMap", "_MainTex" } },
            new SlotMap { Slot = "metallic", Properties = new[] { "_MetallicGlossMap" }, Keyword = "_METALLICSPECGLOSSMAP", Linear = true },
            new SlotMap { Slot = "normal", Properties = new[] { "_BumpMap" }, Keyword = "_NORMALMAP", Linear = true },
            new SlotMap { Slot = "emission", Properties = new[] { "_EmissionMap" }, Keyword = "_EMISSION" },
        };

        static string PropertyOf(Material m, SlotMap s)
        {
            foreach (var p in s.Properties) if (m.HasProperty(p)) return p;
            return null;
        }

        static void Keyword(Material m, SlotMap s, bool on)
        {
            if (s.Keyword == null) return;
            // the Built-in Standard shader names its metallic-map keyword differently from URP
            foreach (var k in s.Slot == "metallic" ? new[] { s.Keyword, "_METALLICGLOSSMAP" } : new[] { s.Keyword })
                if (on) m.EnableKeyword(k); else m.DisableKeyword(k);
        }

        /// <summary>
        /// Assigns each held file (TextureFiles.Hold: slot + bytes) to its slot's property; slots not in `held` are cleared.
        /// `files` remembers the original bytes of every Texture2D made here.
        /// </summary>
        public static void Write(Material m, IList<CoreTexture> held, IDictionary<UnityEngine.Texture, byte[]> files, string name)
        {
            foreach (var s in Slots)
            {
                var prop = PropertyOf(m, s);
                if (prop == null) continue;
                CoreTexture t = null;
                foreach (var h in held) if (h.Slot == s.Slot && h.Bytes != null) t = h;
                var current = m.GetTexture(prop);
                byte[] currentBytes;
                if (t != null && current != null && files.TryGetValue(current, out currentBytes) && currentBytes == t.Bytes) continue;
                if (t == null)
                {
                    m.SetTexture(prop, null);
                    Keyword(m, s, false);
                    continue;
                }
                var tex = new Texture2D(2, 2, TextureFormat.RGBA32, true, s.Linear);
                tex.name = name + " " + s.Slot;
                if (!tex.LoadImage(t.Bytes))
                {
                    m.SetTexture(prop, null); // not decodable here: not held, so not reported
                    Keyword(m, s, false);
                    continue;
                }
                files[tex] = t.Bytes;
                m.SetTexture(prop, tex);
                Keyword(m, s, true);
                if (s.Slot == "emission" && m.HasProperty("_EmissionColor") && m.GetColor("_EmissionColor").maxColorComponent <= 0)
                    m.SetColor("_EmissionColor", Color.white); // the map is shown as it is: the wire carries no emission strength
            }
        }

        /// <summary>The textures the material holds, as files (slot + bytes), reported from those bytes; blobs of a user's own textures are kept in `blobs` to upload.</summary>
        public static List<CoreTexture> Read(Material m, IDictionary<UnityEngine.Texture, byte[]> files, BlobStore blobs)
        {
            var held = new List<CoreTexture>();
            foreach (var s in Slots)
            {
                var prop = PropertyOf(m, s);
                var tex = prop == null ? null : m.GetTexture(prop);
                if (tex == null) continue;
                byte[] bytes;
                if (!files.TryGetValue(tex, out bytes)) bytes = AssetFile(tex);
                if (bytes == null) continue;
                var reported = TextureFiles.Report(new CoreTexture { Slot = s.Slot, Bytes = bytes, Blob = true });
                if (reported == null) continue;
                blobs.Put(reported.Hash, bytes);
                held.Add(reported);
            }
            return held;
        }

        /// <summary>A texture asset imported from a .png / .jpg / .jpeg file: that file's bytes; anything else (a .psd, a render texture, a generated one) null.</summary>
        static byte[] AssetFile(UnityEngine.Texture tex)
        {
            var path = AssetDatabase.GetAssetPath(tex);
            if (string.IsNullOrEmpty(path)) return null;
            var ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") return null;
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
    }
}
