// Texture blobs (docs/protocol.md "Texture blobs") against data/golden/texture-vectors.json, and what a
// target holds: the image file's bytes, reported from those bytes (hash, format, size), never the
// reference it was told; a texture whose file it does not hold is left out, so the hash check fails.
using System;
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class TextureTests
    {
        static byte[] Bytes(string hex) { var r = new byte[hex.Length / 2]; for (int i = 0; i < r.Length; i++) r[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16); return r; }
        static Dictionary<string, object> Image(int i) { return (Dictionary<string, object>)((List<object>)MeshBlobTests.Golden("texture-vectors.json")["images"])[i]; }
        static string Msg(string type, string body) { return "{\"v\":1,\"id\":\"o-" + type + "\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"" + type + "\",\"body\":" + body + "}"; }

        static Material Painted(params Texture[] textures)
        {
            var m = new Material { Id = "mat-painted", Name = "Painted", BaseColor = new[] { 1.0, 1, 1, 1 } };
            m.Textures.AddRange(textures);
            return m;
        }

        static Texture Reference(string slot, Dictionary<string, object> image, long size)
        {
            return new Texture { Slot = slot, Hash = (string)image["sha256"], Width = size, Height = size, Format = "png", Blob = true };
        }

        [Test]
        public void EveryGoldenMaterialHashesByteForByte()
        {
            var vectors = (List<object>)MeshBlobTests.Golden("texture-vectors.json")["materials"];
            Assert.That(vectors.Count, Is.GreaterThanOrEqualTo(2));
            foreach (Dictionary<string, object> v in vectors)
            {
                var m = Wire.ReadMaterial(v["input"], "input");
                Assert.AreEqual((string)v["canonical"], Canonical.MaterialCanonical(m), (string)v["name"]);
                Assert.AreEqual((string)v["sha256"], Canonical.MaterialHash(m), (string)v["name"]);
            }
        }

        [Test]
        public void AHeldGoldenImageIsReportedFromItsBytesAndHashesLikeTheGoldenMaterial()
        {
            var scene = new MemoryScene();
            var png = Bytes((string)Image(0)["bytes"]);
            var jpeg = Bytes((string)Image(1)["bytes"]);
            scene.Blobs.Add(png);
            scene.Blobs.Add(jpeg);
            // the wire claims 99 x 99 and the wrong format: what is reported comes from the files held
            scene.WriteMaterial(Painted(Reference("roughness", Image(1), 99), Reference("base_color", Image(0), 99)));
            var held = scene.ReadMaterial("mat-painted");
            var golden = (Dictionary<string, object>)((List<object>)MeshBlobTests.Golden("texture-vectors.json")["materials"])[0];
            Assert.AreEqual((string)golden["sha256"], Canonical.MaterialHash(held));
            var jpegHeld = held.Textures.Find(t => t.Slot == "roughness");
            Assert.AreEqual("jpeg", jpegHeld.Format);
            Assert.AreEqual(3, jpegHeld.Width);
            Assert.AreEqual(2, jpegHeld.Height);
            CollectionAssert.AreEqual(jpeg, jpegHeld.Bytes);
        }

        [Test]
        public void ATextureWhoseFileIsNotHeldIsLeftOutAndTheMaterialHashesDifferently()
        {
            var scene = new MemoryScene();
            var wire = Painted(Reference("base_color", Image(0), 3));
            scene.WriteMaterial(wire);
            var held = scene.ReadMaterial("mat-painted");
            Assert.AreEqual(0, held.Textures.Count, "no file, no texture: never the reference it was told");
            Assert.AreNotEqual(Canonical.MaterialHash(wire), Canonical.MaterialHash(held));

            // bytes that are no image are not a texture either
            var notImage = Bytes((string)Image(3)["bytes"]);
            scene.Blobs.Add(notImage);
            scene.WriteMaterial(Painted(new Texture { Slot = "normal", Hash = (string)Image(3)["sha256"], Width = 1, Height = 1, Format = "png", Blob = true }));
            Assert.AreEqual(0, scene.ReadMaterial("mat-painted").Textures.Count);
        }

        [Test]
        public void AResyncWithATextureWhoseFileNeverCameReportsItTyped()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity" }, scene, t => sent.Add((Dictionary<string, object>)Json.Parse(t)));
            s.Start(0);
            s.Receive(Msg("welcome", "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}"));
            var wire = Painted(Reference("base_color", Image(0), 3));
            s.Receive(Msg("resync", "{\"reason\":\"connect\",\"scene\":{\"objects\":[],\"materials\":[" + Json.Write(Wire.Write(wire)) + "]},\"hash\":\"x\"}"));
            var err = (Dictionary<string, object>)sent[sent.Count - 1]["body"];
            Assert.AreEqual("TARGET_FAILED", err["code"]);
            StringAssert.Contains("mat-painted", (string)err["message"]);
            Assert.AreEqual(0, scene.ReadMaterial("mat-painted").Textures.Count, "held without it, never reported");
        }

        [Test]
        public void ATransactionWithACorruptedImportRollsBackToTheFileItHeld()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var png = Bytes((string)Image(0)["bytes"]);
            var jpeg = Bytes((string)Image(1)["bytes"]);
            scene.Blobs.Add(png);
            scene.Blobs.Add(jpeg);
            scene.WriteMaterial(Painted(Reference("base_color", Image(0), 3)));
            var before = Canonical.MaterialHash(scene.ReadMaterial("mat-painted"));
            // an importer that alters the file it is given (as a re-encoding engine would)
            scene.ImportMaterial = m =>
            {
                for (int i = 0; i < m.Textures.Count; i++)
                    if (m.Textures[i].Bytes == jpeg) { var bad = (byte[])jpeg.Clone(); bad[bad.Length - 1] ^= 0xff; m.Textures[i] = new Texture { Slot = m.Textures[i].Slot, Bytes = bad, Blob = true }; }
                return m;
            };
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity" }, scene, t => sent.Add((Dictionary<string, object>)Json.Parse(t)));
            s.Start(0);
            s.Receive(Msg("welcome", "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}"));
            var next = Painted(new Texture { Slot = "base_color", Hash = (string)Image(1)["sha256"], Width = 3, Height = 2, Format = "jpeg", Blob = true });
            s.Receive(Msg("tx_begin", "{\"txId\":\"tx-1\",\"source\":\"sim\",\"mutations\":[{\"mid\":\"m\",\"targets\":[\"unity\"],\"op\":\"upsert_material\",\"material\":" + Json.Write(Wire.Write(next)) + "}]}"));
            var expected = Canonical.TxHash(new Dictionary<string, SceneObject>(), new Dictionary<string, Material> { { "mat-painted", next } });
            var txHash = (Dictionary<string, object>)sent[sent.Count - 1]["body"];
            Assert.AreNotEqual(expected, txHash["hash"], "the corrupted file hashes differently: the orchestrator will roll back");
            Assert.AreEqual(2, scene.ReadMaterial("mat-painted").Textures[0].Height, "it holds the 3 x 2 JPEG header, altered after it");
            s.Receive(Msg("tx_rollback", "{\"txId\":\"tx-1\",\"reason\":\"hash mismatch\"}"));
            var back = scene.ReadMaterial("mat-painted");
            Assert.AreEqual(before, Canonical.MaterialHash(back));
            Assert.AreSame(png, back.Textures[0].Bytes, "the very file it held before");
        }

        [Test]
        public void ASourceOffersItsImageAsATextureBlobAndSnapshotsAfterBlobStored()
        {
            var sent = new List<object>();
            var scene = new MemoryScene();
            var png = Bytes((string)Image(0)["bytes"]);
            var own = TextureFiles.Own("base_color", png, scene.Blobs);
            Assert.AreEqual((string)Image(0)["sha256"], own.Hash);
            scene.WriteMaterial(Painted(own));
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source" } }, scene, t => sent.Add(Json.Parse(t)), f => sent.Add(f), scene.Blobs);
            s.Start(0);
            s.Receive(Msg("welcome", "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}"));
            var query = (Dictionary<string, object>)sent[1];
            var offered = (Dictionary<string, object>)((List<object>)((Dictionary<string, object>)query["body"])["blobs"])[0];
            Assert.AreEqual("texture", offered["kind"]);
            Assert.AreEqual(own.Hash, offered["hash"]);
            s.Receive("{\"v\":1,\"id\":\"o-need\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"blob_need\",\"body\":{\"ref\":\"" + query["id"] + "\",\"need\":[\"" + own.Hash + "\"]}}");
            var chunk = (byte[])sent[2];
            CollectionAssert.AreEqual(png, new ArraySegment<byte>(chunk, BlobFrames.HeaderBytes, chunk.Length - BlobFrames.HeaderBytes));
            s.Receive(Msg("blob_stored", "{\"hash\":\"" + own.Hash + "\",\"size\":" + png.Length + "}"));
            var snap = (Dictionary<string, object>)sent[3];
            Assert.AreEqual("snapshot", snap["type"]);
            var mat = (Dictionary<string, object>)((List<object>)((Dictionary<string, object>)((Dictionary<string, object>)snap["body"])["scene"])["materials"])[0];
            var tex = (Dictionary<string, object>)((List<object>)mat["textures"])[0];
            Assert.AreEqual(own.Hash, tex["hash"]);
            Assert.AreEqual(true, tex["blob"]);
            Assert.AreEqual("png", tex["format"]);
        }
    }
}
