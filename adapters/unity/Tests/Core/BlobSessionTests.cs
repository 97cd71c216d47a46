// The session with blobs, frames in and frames out (no socket): a target holds the mesh and texture
// it was sent and reports what it holds; a source asks, then sends, and names a blob only after blob_stored.
using System;
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class BlobSessionTests
    {
        static Dictionary<string, object> Frame(string json) { return (Dictionary<string, object>)Json.Parse(json); }
        static Dictionary<string, object> Body(Dictionary<string, object> f) { return (Dictionary<string, object>)f["body"]; }
        static string Msg(string type, string body) { return "{\"v\":1,\"id\":\"o-" + type + "\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"" + type + "\",\"body\":" + body + "}"; }
        const string Welcome = "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}";

        /// <summary>A 1 m box with UVs on every corner, slots 0 and 1.</summary>
        static MeshGeometry Box()
        {
            var pos = new List<double>();
            foreach (var x in new[] { -0.5, 0.5 }) foreach (var y in new[] { -0.5, 0.5 }) foreach (var z in new[] { -0.5, 0.5 }) { pos.Add(x); pos.Add(y); pos.Add(z); }
            var corners = new[] { 0, 1, 3, 2, 4, 6, 7, 5, 0, 4, 5, 1, 2, 3, 7, 6, 0, 2, 6, 4, 1, 5, 7, 3 };
            var uvs = new List<double>();
            for (int f = 0; f < 6; f++) uvs.AddRange(new[] { 0, 0, 1, 0, 1, 1, 0, 1.0 });
            return new MeshGeometry { Positions = pos.ToArray(), FaceSizes = new[] { 4, 4, 4, 4, 4, 4 }, Slots = new[] { 0, 0, 0, 1, 1, 1 }, Corners = corners, Uvs = uvs.ToArray() };
        }

        static string MeshObject(string id, MeshSummary m)
        {
            var o = new SceneObject { Id = id, Name = "Box", Type = "mesh", Mesh = m };
            return Json.Write(Wire.Write(o));
        }

        static Session Target(MemoryScene scene, List<Dictionary<string, object>> sent)
        {
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity" }, scene, t => sent.Add(Frame(t)));
            s.Start(0);
            s.Receive(Msg("welcome", Welcome));
            return s;
        }

        [Test]
        public void TheHandshakeDeclaresBlobs()
        {
            var sent = new List<Dictionary<string, object>>();
            Target(new MemoryScene(), sent);
            CollectionAssert.Contains((List<object>)Body(sent[0])["capabilities"], "blobs");
        }

        [Test]
        public void ATargetHoldsTheMeshItWasSentAndReportsTheHashOfWhatItHolds()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = Target(scene, sent);
            var blob = MeshBlob.Encode(Box());
            var summary = MeshBlob.Summary(blob);
            foreach (var f in BlobFrames.Chunks(summary.GeometryHash, blob)) s.ReceiveBinary(f, f.Length);
            s.Receive(Msg("resync", "{\"reason\":\"connect\",\"scene\":{\"objects\":[" + MeshObject("box", summary) + "],\"materials\":[]},\"hash\":\"x\"}"));
            var held = scene.ReadObject("box");
            Assert.AreEqual(8, held.Geometry.VertexCount);
            CollectionAssert.AreEqual(new[] { 0, 0, 0, 1, 1, 1 }, held.Geometry.Slots);
            Assert.AreEqual(summary.GeometryHash, held.Mesh.GeometryHash);
            CollectionAssert.AreEqual(blob, MeshBlob.Encode(held.Geometry), "re-encoding what it holds gives the blob back");
            CollectionAssert.IsEmpty(s.Errors);
        }

        [Test]
        public void WhatATargetHoldsDecidesItsHashNeverTheWire()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            // an engine that moves one vertex on import (a lossy importer, or a corrupted mesh)
            scene.Import = o =>
            {
                if (o.Geometry == null) return o;
                var p = (double[])o.Geometry.Positions.Clone();
                p[0] += 0.01;
                o.Geometry = new MeshGeometry { Positions = p, FaceSizes = o.Geometry.FaceSizes, Slots = o.Geometry.Slots, Corners = o.Geometry.Corners, Uvs = o.Geometry.Uvs };
                return o;
            };
            var s = Target(scene, sent);
            var blob = MeshBlob.Encode(Box());
            var summary = MeshBlob.Summary(blob);
            foreach (var f in BlobFrames.Chunks(summary.GeometryHash, blob)) s.ReceiveBinary(f, f.Length);
            s.Receive(Msg("tx_begin", "{\"txId\":\"tx-1\",\"source\":\"sim\",\"mutations\":[{\"mid\":\"m\",\"targets\":[\"unity\"],\"op\":\"create\",\"object\":" + MeshObject("box", summary) + "}]}"));
            var told = new Dictionary<string, SceneObject> { { "box", Wire.ReadObject(Json.Parse(MeshObject("box", summary)), "o") } };
            var expected = Canonical.TxHash(told, new Dictionary<string, Material>());
            var txHash = sent[sent.Count - 1];
            Assert.AreEqual("tx_hash", txHash["type"]);
            Assert.AreNotEqual(expected, Body(txHash)["hash"], "the corrupted mesh hashes differently");
            Assert.AreNotEqual(summary.GeometryHash, scene.ReadObject("box").Mesh.GeometryHash);
            s.Receive(Msg("tx_rollback", "{\"txId\":\"tx-1\",\"reason\":\"HASH_MISMATCH\"}"));
            Assert.IsNull(scene.ReadObject("box"), "rolled back exactly: the created object is gone");
        }

        [Test]
        public void AMeshBlobThatNeverArrivedIsTargetFailedAndChangesNothing()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = Target(scene, sent);
            var summary = MeshBlob.Summary(MeshBlob.Encode(Box()));
            s.Receive(Msg("tx_begin", "{\"txId\":\"tx-1\",\"source\":\"sim\",\"mutations\":[{\"mid\":\"m\",\"targets\":[\"unity\"],\"op\":\"create\",\"object\":" + MeshObject("box", summary) + "}]}"));
            var err = sent[sent.Count - 1];
            Assert.AreEqual("error", err["type"]);
            Assert.AreEqual("TARGET_FAILED", Body(err)["code"]);
            StringAssert.Contains("was never received", (string)Body(err)["message"]);
            Assert.AreEqual(0, scene.Count);
        }

        [Test]
        public void AResyncAppliesWhatItCanHoldAndReportsTheRestTyped()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = Target(scene, sent);
            var missing = MeshBlob.Summary(MeshBlob.Encode(Box()));
            var empty = Json.Write(Wire.Write(new SceneObject { Id = "plain", Name = "Empty" }));
            s.Receive(Msg("resync", "{\"reason\":\"connect\",\"scene\":{\"objects\":[" + MeshObject("box", missing) + "," + empty + "],\"materials\":[]},\"hash\":\"x\"}"));
            var err = sent[sent.Count - 1];
            Assert.AreEqual("TARGET_FAILED", Body(err)["code"]);
            Assert.AreEqual("o-resync", Body(err)["ref"]);
            StringAssert.Contains("box", (string)Body(err)["message"]);
            Assert.IsNull(scene.ReadObject("box"), "no mesh it does not hold, and no hash for it");
            Assert.IsNotNull(scene.ReadObject("plain"));
        }

        [Test]
        public void ATextureBlobIsHeldAsItsFileAndReportedFromItsHeader()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = Target(scene, sent);
            var images = (List<object>)MeshBlobTests.Golden("texture-vectors.json")["images"];
            var png = (Dictionary<string, object>)images[0];
            var hex = (string)png["bytes"];
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
            foreach (var f in BlobFrames.Chunks((string)png["sha256"], bytes)) s.ReceiveBinary(f, f.Length);
            // the wire claims 99 x 99: the target reports the 3 x 2 its file declares
            s.Receive(Msg("resync", "{\"reason\":\"connect\",\"scene\":{\"objects\":[],\"materials\":[{\"id\":\"m\",\"name\":\"M\",\"baseColor\":[1,1,1,1],\"metallic\":0,\"roughness\":0.5," +
                                    "\"textures\":[{\"slot\":\"base_color\",\"width\":99,\"height\":99,\"hash\":\"" + png["sha256"] + "\",\"format\":\"png\",\"blob\":true}]}]},\"hash\":\"x\"}"));
            var t = scene.ReadMaterial("m").Textures[0];
            Assert.AreEqual(3, t.Width);
            Assert.AreEqual(2, t.Height);
            Assert.AreEqual(png["sha256"], t.Hash);
            Assert.AreEqual("png", t.Format);
        }

        [Test]
        public void ABlobWhoseBytesDoNotMatchItsHashIsRefusedAndNotHeld()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            var s = Target(scene, sent);
            var blob = MeshBlob.Encode(Box());
            var lie = new string('b', 64);
            foreach (var f in BlobFrames.Chunks(lie, blob)) s.ReceiveBinary(f, f.Length);
            Assert.AreEqual("TARGET_FAILED", Body(sent[sent.Count - 1])["code"]);
            Assert.IsNull(scene.Blobs.Get(lie));
        }

        [Test]
        public void ASourceAsksThenSendsAndSnapshotsOnlyAfterBlobStored()
        {
            var sent = new List<object>();
            var scene = new MemoryScene();
            var blob = MeshBlob.Encode(Box());
            var hash = scene.Blobs.Add(blob);
            scene.WriteObject(new SceneObject { Id = "u_box", Name = "Box", Type = "mesh", Mesh = MeshBlob.Summary(blob) });
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source" } }, scene, t => sent.Add(Frame(t)), f => sent.Add(f), scene.Blobs);
            s.Start(0);
            s.Receive(Msg("welcome", Welcome));
            var query = (Dictionary<string, object>)sent[1];
            Assert.AreEqual("blob_query", query["type"]);
            var offered = (Dictionary<string, object>)((List<object>)Body(query)["blobs"])[0];
            Assert.AreEqual(hash, offered["hash"]);
            Assert.AreEqual("mesh", offered["kind"]);
            Assert.AreEqual((double)blob.Length, offered["size"]);
            Assert.AreEqual(2, sent.Count, "nothing names the blob before the orchestrator has it");

            s.Receive("{\"v\":1,\"id\":\"o-need\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"blob_need\",\"body\":{\"ref\":\"" + query["id"] + "\",\"need\":[\"" + hash + "\"]}}");
            var chunk = sent[2] as byte[];
            Assert.IsNotNull(chunk, "a binary chunk frame");
            Assert.AreEqual(hash, BlobFrames.Decode(chunk, chunk.Length).Hash);
            Assert.AreEqual(3, sent.Count, "still no snapshot before blob_stored");

            s.Receive(Msg("blob_stored", "{\"hash\":\"" + hash + "\",\"size\":" + blob.Length + "}"));
            var snap = (Dictionary<string, object>)sent[3];
            Assert.AreEqual("snapshot", snap["type"]);
            var obj = (Dictionary<string, object>)((List<object>)((Dictionary<string, object>)Body(snap)["scene"])["objects"])[0];
            var mesh = (Dictionary<string, object>)obj["mesh"];
            Assert.AreEqual(hash, mesh["geometryHash"]);
            Assert.AreEqual(true, mesh["blob"]);
            Assert.AreEqual(0, s.PendingUploads);
        }

        [Test]
        public void ABlobTheOrchestratorAlreadyHoldsIsNotSentAgain()
        {
            var sent = new List<object>();
            var scene = new MemoryScene();
            var blob = MeshBlob.Encode(Box());
            scene.Blobs.Add(blob);
            scene.WriteObject(new SceneObject { Id = "u_box", Name = "Box", Type = "mesh", Mesh = MeshBlob.Summary(blob) });
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source" } }, scene, t => sent.Add(Frame(t)), f => sent.Add(f), scene.Blobs);
            s.Start(0);
            s.Receive(Msg("welcome", Welcome));
            s.Receive("{\"v\":1,\"id\":\"o-need\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"blob_need\",\"body\":{\"ref\":\"" + ((Dictionary<string, object>)sent[1])["id"] + "\",\"need\":[]}}");
            Assert.AreEqual("snapshot", ((Dictionary<string, object>)sent[2])["type"]);
            Assert.AreEqual(0, s.BlobsSent);
        }

        [Test]
        public void AResyncWhileTheInitialSnapshotWaitsForItsBlobsAnswersIt()
        {
            var sent = new List<object>();
            var scene = new MemoryScene();
            var blob = MeshBlob.Encode(Box());
            scene.Blobs.Add(blob);
            var box = new SceneObject { Id = "u_box", Name = "Box", Type = "mesh", Mesh = MeshBlob.Summary(blob) };
            scene.WriteObject(box);
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source", "target" } }, scene, t => sent.Add(Frame(t)), f => sent.Add(f), scene.Blobs);
            s.Start(0);
            s.Receive(Msg("welcome", Welcome));
            var query = (Dictionary<string, object>)sent[1];
            // the connect resync comes before the blob answer; the engine applies it
            s.Receive(Msg("resync", "{\"reason\":\"connect\",\"scene\":{\"objects\":[" + MeshObject("u_box", box.Mesh) + "],\"materials\":[]},\"hash\":\"x\"}"));
            int before = sent.Count;
            s.Receive("{\"v\":1,\"id\":\"o-need\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"blob_need\",\"body\":{\"ref\":\"" + query["id"] + "\",\"need\":[]}}");
            foreach (var f in sent.GetRange(before, sent.Count - before))
            {
                var d = f as Dictionary<string, object>;
                Assert.IsFalse(d != null && (string)d["type"] == "snapshot", "the resync answered the initial snapshot: it is not sent after it");
            }
            Assert.AreEqual(0, s.PendingUploads);
        }
    }
}
