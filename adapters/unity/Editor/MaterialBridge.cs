// Materials across render pipelines: URP/HDRP name the base colour _BaseColor, the Built-in pipeline
// _Color; smoothness (_Smoothness or _Glossiness) is 1 - roughness. Colours travel linear.
using UnityEngine;
using CoreMaterial = VibeSync.Core.Material;

namespace VibeSync.Editor
{
    public static class MaterialBridge
    {
        static string ColorProperty(Material m) { return m.HasProperty("_BaseColor") ? "_BaseColor" : "_Color"; }
        static string SmoothnessProperty(Material m) { return m.HasProperty("_Smoothness") ? "_Smoothness" : "_Glossiness"; }

        public static Material Create()
        {
            var shader = Shader.Find("Universal Render Pipeline/Lit");
            if (shader == null) shader = Shader.Find("HDRP/Lit");
            if (shader == null) shader = Shader.Find("Standard");
            return new Material(shader);
        }

        public static CoreMaterial Read(string id, Material m)
        {
            var c = m.HasProperty(ColorProperty(m)) ? m.GetColor(ColorProperty(m)).linear : Color.white;
            return new CoreMaterial
            {
                Id = id,
                Name = m.name,
                BaseColor = new double[] { c.r, c.g, c.b, c.a },
                Metallic = m.HasProperty("_Metallic") ? m.GetFloat("_Metallic") : 0,
                Roughness = m.HasProperty(SmoothnessProperty(m)) ? 1 - m.GetFloat(SmoothnessProperty(m)) : 0.5,
            };
        }

        public static void Write(Material m, CoreMaterial from)
        {
            m.name = from.Name;
            var c = new Color((float)from.BaseColor[0], (float)from.BaseColor[1], (float)from.BaseColor[2], (float)from.BaseColor[3]);
            m.SetColor(ColorProperty(m), c.gamma);
            if (m.HasProperty("_Metallic")) m.SetFloat("_Metallic", (float)from.Metallic);
            m.SetFloat(SmoothnessProperty(m), (float)(1 - from.Roughness));
        }
    }
}
