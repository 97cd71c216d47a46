// Mesh blobs ("VSM1") byte for byte against data/golden/mesh-vectors.json, what a target holds after
// importing one (re-encoded: the same bytes), texture headers against texture-vectors.json, and the
// binary chunk frames blobs travel in.
using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class MeshBlobTests
    {
        internal static Dictionary<string, object> Golden(string file)
        {
            var canonical = GoldenVectorTests.GoldenPath();
            if (canonical == null) Assert.Ignore("data/golden not found: set VIBESYNC_GOLDEN to data/golden/canonical-vectors.json");
            var path = Path.Combine(Path.GetDirectoryName(canonical), file);
            return (Dictionary<string, object>)Json.Parse(File.ReadAllText(path, System.Text.Encoding.UTF8));
        }

        static double[] Doubles(object v) { if (v == null) return null; var l = (List<object>)v; var r = new double[l.Count]; for (int i = 0; i < r.Length; i++) r[i] = (double)l[i]; return r; }
        static int[] Ints(object v) { var d = Doubles(v); var r = new int[d.Length]; for (int i = 0; i < r.Length; i++) r[i] = (int)d[i]; return r; }
        static string Hex(byte[] b) { return BitConverter.ToString(b).Replace("-", "").ToLowerInvariant(); }
        static byte[] Bytes(string hex) { var r = new byte[hex.Length / 2]; for (int i = 0; i < r.Length; i++) r[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16); return r; }

        static MeshGeometry Input(Dictionary<string, object> v)
        {
            var d = (Dictionary<string, object>)v["input"];
            return new MeshGeometry { Positions = Doubles(d["positions"]), FaceSizes = Ints(d["faceSizes"]), Corners = Ints(d["corners"]), Slots = Ints(d["slots"]), Uvs = Doubles(d["uvs"]) };
        }

        static List<object> MeshVectors()
        {
            var vectors = (List<object>)Golden("mesh-vectors.json")["vectors"];
            Assert.That(vectors.Count, Is.GreaterThanOrEqualTo(3));
            return vectors;
        }

        [Test]
        public void EveryGoldenMeshEncodesByteForByteWithItsHashAndSummary()
        {
            foreach (Dictionary<string, object> v in MeshVectors())
            {
                var name = (string)v["name"];
                var blob = MeshBlob.Encode(Input(v));
                Assert.AreEqual((string)v["blob"], Hex(blob), name);
                Assert.AreEqual((string)v["sha256"], Canonical.Sha256Hex(blob), name);
                var want = Wire.ReadMesh(v["summary"], "summary");
                var got = MeshBlob.Summary(blob);
                Assert.AreEqual(Json.Write(Wire.Write(want)), Json.Write(Wire.Write(got)), name);
                Assert.IsTrue(got.Blob, name);
            }
        }

        [Test]
        public void AGoldenBlobHeldAsFloat32ReEncodesToTheSameBytes()
        {
            foreach (Dictionary<string, object> v in MeshVectors())
            {
                var blob = Bytes((string)v["blob"]);
                var held = MeshBlob.Hold(MeshBlob.Decode(blob));
                foreach (var x in held.Positions) Assert.AreEqual((double)(float)x, x, "positions are held as float32");
                Assert.AreEqual((string)v["blob"], Hex(MeshBlob.Encode(held)), (string)v["name"]);
                Assert.AreEqual((string)v["sha256"], held.Summary().GeometryHash);
            }
        }

        [Test]
        public void AValueOnAQuantisationBoundaryIsRoundedToFloat32First()
        {
            // 0.00015 is 1 step as a double, 2 once stored as float32 (docs/protocol.md "Mesh blobs")
            Assert.AreEqual(2, MeshBlob.Q32(0.00015, Canonical.PositionStep, "x"));
            Assert.AreEqual(0, MeshBlob.Q32(-0.00004999, Canonical.PositionStep, "x"));
            Assert.AreEqual("NON_FINITE", Assert.Throws<VibeSyncException>(() => MeshBlob.Q32(300000, Canonical.PositionStep, "x")).Code);
            Assert.AreEqual("NON_FINITE", Assert.Throws<VibeSyncException>(() => MeshBlob.Q32(double.NaN, Canonical.PositionStep, "x")).Code);
        }

        [Test]
        public void ABlobThatIsNotAMeshIsRefused()
        {
            var blob = Bytes((string)((Dictionary<string, object>)MeshVectors()[0])["blob"]);
            var cut = new byte[blob.Length - 4];
            Array.Copy(blob, cut, cut.Length);
            StringAssert.Contains("its header says", Assert.Throws<VibeSyncException>(() => MeshBlob.Decode(cut)).Message);
            var badCorner = (byte[])blob.Clone();
            badCorner[badCorner.Length - 4] = 200; // the last corner names vertex 200 of 8
            Assert.AreEqual("SCHEMA_VIOLATION", Assert.Throws<VibeSyncException>(() => MeshBlob.Decode(badCorner)).Code);
            var magic = (byte[])blob.Clone();
            magic[3] = (byte)'2';
            Assert.AreEqual("SCHEMA_VIOLATION", Assert.Throws<VibeSyncException>(() => MeshBlob.Decode(magic)).Code);
        }

        [Test]
        public void TextureHeadersMatchTheGoldenImages()
        {
            var images = (List<object>)Golden("texture-vectors.json")["images"];
            Assert.That(images.Count, Is.GreaterThanOrEqualTo(4));
            foreach (Dictionary<string, object> v in images)
            {
                var bytes = Bytes((string)v["bytes"]);
                Assert.AreEqual((string)v["sha256"], Canonical.Sha256Hex(bytes), (string)v["name"]);
                var info = ImageInfo.Read(bytes);
                var want = v["info"] as Dictionary<string, object>;
                if (want == null) { Assert.IsNull(info, (string)v["name"]); continue; }
                Assert.AreEqual(want["format"], info.Format, (string)v["name"]);
                Assert.AreEqual((long)(double)want["width"], info.Width, (string)v["name"]);
                Assert.AreEqual((long)(double)want["height"], info.Height, (string)v["name"]);
            }
        }

        [Test]
        public void ABlobTravelsInChunksOf1MiBAndIsReassembledAndVerified()
        {
            var blob = new byte[2 * BlobFrames.ChunkBytes + 123];
            new Random(7).NextBytes(blob);
            var hash = Canonical.Sha256Hex(blob);
            var frames = new List<byte[]>(BlobFrames.Chunks(hash, blob));
            Assert.AreEqual(3, frames.Count);
            Assert.AreEqual(BlobFrames.HeaderBytes + BlobFrames.ChunkBytes, frames[0].Length);
            Assert.AreEqual(BlobFrames.HeaderBytes + 123, frames[2].Length);
            Assert.AreEqual(1, frames[0][0]);
            var a = new BlobAssembler();
            Assert.IsNull(a.Add(frames[0], frames[0].Length));
            Assert.IsNull(a.Add(frames[1], frames[1].Length));
            var whole = a.Add(frames[2], frames[2].Length);
            Assert.AreEqual(hash, whole.Value.Key);
            CollectionAssert.AreEqual(blob, whole.Value.Value);

            var lie = new List<byte[]>(BlobFrames.Chunks(new string('a', 64), new byte[] { 1, 2, 3 }));
            Assert.AreEqual("TARGET_FAILED", Assert.Throws<VibeSyncException>(() => a.Add(lie[0], lie[0].Length)).Code);
            Assert.AreEqual("TARGET_FAILED", Assert.Throws<VibeSyncException>(() => a.Add(frames[1], frames[1].Length)).Code, "a chunk out of order");
            var live = (byte[])frames[2].Clone();
            live[0] = 2;
            Assert.AreEqual("SCHEMA_VIOLATION", Assert.Throws<VibeSyncException>(() => a.Add(live, live.Length)).Code);
        }
    }
}
