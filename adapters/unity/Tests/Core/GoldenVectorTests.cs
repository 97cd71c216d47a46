// Every golden vector in data/golden/canonical-vectors.json: the canonical string and its SHA-256, byte for byte.
using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class GoldenVectorTests
    {
        public static string GoldenPath()
        {
            var env = Environment.GetEnvironmentVariable("VIBESYNC_GOLDEN");
            if (!string.IsNullOrEmpty(env)) return env;
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
            {
                var p = Path.Combine(dir.FullName, "data", "golden", "canonical-vectors.json");
                if (File.Exists(p)) return p;
            }
            return null;
        }

        static List<object> Vectors()
        {
            var path = GoldenPath();
            if (path == null) Assert.Ignore("data/golden/canonical-vectors.json not found: set VIBESYNC_GOLDEN to its path");
            var doc = (Dictionary<string, object>)Json.Parse(File.ReadAllText(path, System.Text.Encoding.UTF8));
            return (List<object>)doc["vectors"];
        }

        static string CanonicalOf(Dictionary<string, object> v)
        {
            var kind = (string)v["kind"];
            var input = v["input"];
            if (kind == "object") return Canonical.ObjectCanonical(Wire.ReadObject(input, "input"));
            if (kind == "material") return Canonical.MaterialCanonical(Wire.ReadMaterial(input, "input"));
            if (kind == "scene") { var s = Wire.ReadScene(input, "input"); return Canonical.SceneCanonical(s.Objects, s.Materials); }
            if (kind == "tx")
            {
                var d = (Dictionary<string, object>)input;
                var objs = new Dictionary<string, SceneObject>();
                foreach (var kv in (Dictionary<string, object>)d["objects"]) objs[kv.Key] = kv.Value == null ? null : Wire.ReadObject(kv.Value, kv.Key);
                var mats = new Dictionary<string, Material>();
                foreach (var kv in (Dictionary<string, object>)d["materials"]) mats[kv.Key] = kv.Value == null ? null : Wire.ReadMaterial(kv.Value, kv.Key);
                return Canonical.TxCanonical(objs, mats);
            }
            if (kind == "geometry")
            {
                var d = (Dictionary<string, object>)input;
                var pos = new List<double>();
                foreach (var x in (List<object>)d["positions"]) pos.Add((double)x);
                var faces = new List<int[]>();
                foreach (var f in (List<object>)d["faces"])
                {
                    var idx = (List<object>)f;
                    var arr = new int[idx.Count];
                    for (int i = 0; i < arr.Length; i++) arr[i] = (int)(double)idx[i];
                    faces.Add(arr);
                }
                return Canonical.GeometryCanonical(pos, faces);
            }
            throw new ArgumentException("unknown vector kind " + kind);
        }

        [Test]
        public void EveryVectorIsByteEqual()
        {
            var vectors = Vectors();
            Assert.That(vectors.Count, Is.GreaterThanOrEqualTo(15));
            foreach (Dictionary<string, object> v in vectors)
            {
                var canonical = CanonicalOf(v);
                Assert.AreEqual((string)v["canonical"], canonical, (string)v["name"]);
                Assert.AreEqual((string)v["sha256"], Canonical.Sha256Hex(canonical), (string)v["name"]);
            }
        }

        [Test]
        public void QuantisationFollowsTheDocumentedExamples()
        {
            Assert.AreEqual(25000, Canonical.Quantise(2.5, Canonical.PositionStep));
            Assert.AreEqual(-1, Canonical.Quantise(-0.00015, Canonical.PositionStep));
            Assert.AreEqual(1, Canonical.Quantise(0.00005, Canonical.PositionStep));
            Assert.AreEqual(0, Canonical.Quantise(-0.00005, Canonical.PositionStep));
            Assert.AreEqual(333333, Canonical.Quantise(3.333333333, Canonical.ScaleStep));
            CollectionAssert.AreEqual(new long[] { 0, 0, 0, 1000000 }, Canonical.QuantiseQuat(new double[] { 0, 0, 0, -1 }));
            CollectionAssert.AreEqual(new long[] { 0, 0, 1000000, 0 }, Canonical.QuantiseQuat(new double[] { 0, 0, -2, 0 }));
        }

        [Test]
        public void ValuesTheCanonicalFormCannotHoldAreNonFinite()
        {
            var e = Assert.Throws<VibeSyncException>(() => Canonical.Quantise(double.NaN, Canonical.PositionStep));
            Assert.AreEqual("NON_FINITE", e.Code);
            Assert.AreEqual("NON_FINITE", Assert.Throws<VibeSyncException>(() => Canonical.Quantise(1e13, Canonical.PositionStep)).Code);
            Assert.AreEqual("NON_FINITE", Assert.Throws<VibeSyncException>(() => Canonical.QuantiseQuat(new double[] { 0, 0, 0, 0 })).Code);
        }
    }
}
