// Live-lane frames (docs/protocol.md "Live lane") byte for byte against data/golden/live-vectors.json, and
// the session's live lane with no socket: the grant, a target applying frames at once (unknown ids
// skipped, nothing sent back), a settle's tx_begin keeping a newer live frame, rollback, and a source's
// numbering, live_settled and "live:<n>" errors.
using System;
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class LiveFrameTests
    {
        static string Hex(byte[] b) { return BitConverter.ToString(b).Replace("-", "").ToLowerInvariant(); }
        static byte[] Bytes(string hex) { var r = new byte[hex.Length / 2]; for (int i = 0; i < r.Length; i++) r[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16); return r; }
        static double[] Doubles(object v) { var l = (List<object>)v; var r = new double[l.Count]; for (int i = 0; i < r.Length; i++) r[i] = (double)l[i]; return r; }

        static List<object> Section(string name)
        {
            var list = (List<object>)MeshBlobTests.Golden("live-vectors.json")[name];
            Assert.That(list.Count, Is.GreaterThanOrEqualTo(3));
            return list;
        }

        static List<LiveRecord> Records(Dictionary<string, object> frame)
        {
            var r = new List<LiveRecord>();
            foreach (Dictionary<string, object> d in (List<object>)frame["records"])
                r.Add(new LiveRecord { Id = (string)d["id"], Transform = new Transform { Position = Doubles(d["position"]), Rotation = Doubles(d["rotation"]), Scale = Doubles(d["scale"]) } });
            return r;
        }

        [Test]
        public void EncodesEveryGoldenFrameByteForByte()
        {
            foreach (Dictionary<string, object> v in Section("vectors"))
            {
                var frame = (Dictionary<string, object>)v["frame"];
                var bytes = LiveFrame.Encode((uint)(double)frame["frame"], Records(frame));
                Assert.AreEqual((string)v["hex"], Hex(bytes), (string)v["name"]);
            }
        }

        [Test]
        public void DecodesEveryGoldenFrameToItsValues()
        {
            foreach (Dictionary<string, object> v in Section("vectors"))
            {
                var name = (string)v["name"];
                var frame = (Dictionary<string, object>)v["frame"];
                var bytes = Bytes((string)v["hex"]);
                // a buffer longer than the frame: only `length` bytes are the frame (the socket reuses its buffer)
                var padded = new byte[bytes.Length + 7];
                Array.Copy(bytes, padded, bytes.Length);
                uint number;
                var got = LiveFrame.Decode(padded, bytes.Length, out number);
                Assert.AreEqual((uint)(double)frame["frame"], number, name);
                var want = Records(frame);
                Assert.AreEqual(want.Count, got.Count, name);
                for (int i = 0; i < want.Count; i++)
                {
                    Assert.AreEqual(want[i].Id, got[i].Id, name);
                    CollectionAssert.AreEqual(want[i].Transform.Position, got[i].Transform.Position, name);
                    CollectionAssert.AreEqual(want[i].Transform.Rotation, got[i].Transform.Rotation, name);
                    CollectionAssert.AreEqual(want[i].Transform.Scale, got[i].Transform.Scale, name);
                }
                Assert.IsTrue(LiveFrame.IsLive(bytes, bytes.Length), name);
            }
        }

        [Test]
        public void RefusesEveryGoldenInvalidFrame()
        {
            foreach (Dictionary<string, object> v in Section("invalid"))
            {
                var bytes = Bytes((string)v["hex"]);
                uint number;
                var e = Assert.Throws<VibeSyncException>(() => LiveFrame.Decode(bytes, bytes.Length, out number), (string)v["name"]);
                Assert.AreEqual((string)v["error"], e.Code, (string)v["name"]);
            }
        }

        [Test]
        public void RefusesToWriteWhatAReaderMustRefuse()
        {
            var t = new Transform();
            foreach (var id in new[] { "", "a b", "\u00e9", "__proto__", new string('x', 129) })
                Assert.AreEqual("SCHEMA_VIOLATION", Assert.Throws<VibeSyncException>(() => LiveFrame.Encode(1, new[] { new LiveRecord { Id = id, Transform = t } })).Code, id);
            Assert.Throws<VibeSyncException>(() => LiveFrame.Encode(1, new[] { new LiveRecord { Id = "a", Transform = t }, new LiveRecord { Id = "a", Transform = t } }));
            Assert.Throws<VibeSyncException>(() => LiveFrame.Encode(1, new[] { new LiveRecord { Id = "a", Transform = new Transform { Position = new double[2] } } }));
            var many = new List<LiveRecord>();
            for (int i = 0; i <= LiveFrame.MaxRecords; i++) many.Add(new LiveRecord { Id = "o" + i, Transform = t });
            Assert.Throws<VibeSyncException>(() => LiveFrame.Encode(1, many));
            // a kind-1 frame, a count over 5,000, a length beyond the buffer
            uint n;
            Assert.Throws<VibeSyncException>(() => LiveFrame.Decode(Bytes("010100000000000000000000"), 12, out n));
            Assert.Throws<VibeSyncException>(() => LiveFrame.Decode(Bytes("020100000000000089130000"), 12, out n));
            Assert.Throws<VibeSyncException>(() => LiveFrame.Decode(Bytes("020100000000000000000000"), 13, out n));
        }

        // ---- the session ----

        static Dictionary<string, object> Frame(string json) { return (Dictionary<string, object>)Json.Parse(json); }
        static Dictionary<string, object> Body(Dictionary<string, object> f) { return (Dictionary<string, object>)f["body"]; }
        static string Msg(string type, string body) { return "{\"v\":1,\"id\":\"o-" + type + "\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"" + type + "\",\"body\":" + body + "}"; }
        const string Welcome = "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000,\"capabilities\":[\"live\"]}";

        static MemoryScene Scene()
        {
            var scene = new MemoryScene();
            scene.WriteObject(new SceneObject { Id = "a", Name = "A", Type = "empty" });
            scene.WriteObject(new SceneObject { Id = "b", Name = "B", Type = "empty" });
            return scene;
        }

        static Session Connect(MemoryScene scene, List<Dictionary<string, object>> sent, List<byte[]> binary, string roles, string welcome)
        {
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = roles.Split(','), Targets = new[] { "sim" } }, scene,
                t => sent.Add(Frame(t)), f => binary.Add(f), scene.Blobs);
            s.Start(0);
            s.Receive(Msg("welcome", welcome));
            return s;
        }

        static LiveRecord Rec(string id, double x) { return new LiveRecord { Id = id, Transform = new Transform { Position = new[] { x, 2, 3 }, Rotation = new[] { 0, 0.6, 0, 0.8 }, Scale = new[] { 1, 1, 2.0 } } }; }
        static void Live(Session s, uint n, params LiveRecord[] r) { var b = LiveFrame.Encode(n, r); s.ReceiveBinary(b, b.Length); }

        [Test]
        public void DeclaresLiveAndNotesTheGrant()
        {
            var sent = new List<Dictionary<string, object>>();
            var s = Connect(Scene(), sent, new List<byte[]>(), "target", Welcome);
            CollectionAssert.Contains((List<object>)Body(sent[0])["capabilities"], "live");
            Assert.IsTrue(s.LiveGranted);
            Assert.IsFalse(Connect(Scene(), sent, new List<byte[]>(), "target", "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}").LiveGranted);
        }

        [Test]
        public void ATargetAppliesAFrameAtOnceSkipsUnknownIdsAndSendsNothingBack()
        {
            var sent = new List<Dictionary<string, object>>();
            var binary = new List<byte[]>();
            var scene = Scene();
            var s = Connect(scene, sent, binary, "target", Welcome);
            int before = sent.Count;
            Live(s, 1, Rec("a", 5), Rec("ghost", 9));
            var a = scene.ReadObject("a").Transform;
            CollectionAssert.AreEqual(new[] { 5.0, 2, 3 }, a.Position);
            CollectionAssert.AreEqual(new[] { 0, 0.6, 0, 0.8 }, a.Rotation);
            CollectionAssert.AreEqual(new[] { 1, 1, 2.0 }, a.Scale);
            Assert.IsNull(scene.ReadObject("ghost"));
            Assert.AreEqual(1, s.LiveRecordsApplied);
            Assert.AreEqual(1, s.LiveRecordsSkipped);
            // a frame it cannot read: logged, none of it applied, nothing sent back
            var bad = LiveFrame.Encode(2, new[] { Rec("a", 7), Rec("b", 7) });
            s.ReceiveBinary(bad, bad.Length - 1);
            CollectionAssert.AreEqual(new[] { 5.0, 2, 3 }, scene.ReadObject("a").Transform.Position);
            CollectionAssert.AreEqual(new[] { 0.0, 0, 0 }, scene.ReadObject("b").Transform.Position);
            Assert.AreEqual(before, sent.Count);
            Assert.AreEqual(0, binary.Count);
            Assert.AreEqual(1, s.Errors.Count);
        }

        [Test]
        public void ASettleKeepsANewerLiveFrameAndARollbackRestoresTheStateBeforeIt()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = Scene();
            var s = Connect(scene, sent, new List<byte[]>(), "target", Welcome);
            Live(s, 1, Rec("a", 1), Rec("b", 1));
            Live(s, 2, Rec("a", 2));
            // the settle of frame 1's values arrives after frame 2: a keeps frame 2, b takes the settled value
            s.Receive(Msg("tx_begin", "{\"txId\":\"tx-1\",\"source\":\"sim\",\"liveFrame\":1,\"mutations\":[" +
                "{\"mid\":\"live.1\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"a\",\"transform\":{\"position\":[1,2,3],\"rotation\":[0,0.6,0,0.8],\"scale\":[1,1,2]}}," +
                "{\"mid\":\"live.2\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"b\",\"transform\":{\"position\":[1,2,3],\"rotation\":[0,0.6,0,0.8],\"scale\":[1,1,2]}}]}"));
            var hash = sent[sent.Count - 1];
            Assert.AreEqual("tx_hash", hash["type"]);
            // the hash is of the settled values (what the orchestrator compares), not of the newer preview
            var settled = new SceneObject { Id = "a", Name = "A", Type = "empty", Transform = Rec("a", 1).Transform };
            var settledB = new SceneObject { Id = "b", Name = "B", Type = "empty", Transform = Rec("b", 1).Transform };
            Assert.AreEqual(Canonical.TxHash(new Dictionary<string, SceneObject> { { "a", settled }, { "b", settledB } }, new Dictionary<string, Material>()), Body(hash)["hash"]);
            Assert.AreEqual(2.0, scene.ReadObject("a").Transform.Position[0]);
            Assert.AreEqual(1.0, scene.ReadObject("b").Transform.Position[0]);
            // a frame while the transaction is open goes on top of it; the rollback restores the state before the transaction
            Live(s, 3, Rec("b", 3));
            Assert.AreEqual(3.0, scene.ReadObject("b").Transform.Position[0]);
            s.Receive(Msg("tx_rollback", "{\"txId\":\"tx-1\",\"reason\":\"mismatch\"}"));
            Assert.AreEqual(1.0, scene.ReadObject("b").Transform.Position[0]);
            Assert.AreEqual(2.0, scene.ReadObject("a").Transform.Position[0]);
            // no live frame later than liveFrame 3: the settled values are applied as they are
            s.Receive(Msg("tx_begin", "{\"txId\":\"tx-2\",\"source\":\"sim\",\"liveFrame\":3,\"mutations\":[" +
                "{\"mid\":\"live.3\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"a\",\"transform\":{\"position\":[4,2,3]}}]}"));
            s.Receive(Msg("tx_commit", "{\"txId\":\"tx-2\"}"));
            Assert.AreEqual(4.0, scene.ReadObject("a").Transform.Position[0]);
            Assert.AreEqual(1, s.Committed);
            Assert.AreEqual(0, s.Errors.Count, string.Join("; ", s.Errors.ToArray()));
        }

        [Test]
        public void ASourceNumbersItsFramesAndTracksSettledAndRefused()
        {
            var sent = new List<Dictionary<string, object>>();
            var binary = new List<byte[]>();
            var scene = Scene();
            var s = Connect(scene, sent, binary, "source", Welcome);
            var a = scene.ReadObject("a");
            a.Transform.Position = new[] { 1.0, 2, -3 };
            Assert.AreEqual("live:1", s.SendMoves(new[] { a }));
            Assert.AreEqual("live:2", s.SendMoves(new[] { a, scene.ReadObject("b") }));
            Assert.AreEqual(2, binary.Count);
            uint n;
            var got = LiveFrame.Decode(binary[1], binary[1].Length, out n);
            Assert.AreEqual(2u, n);
            Assert.AreEqual("a", got[0].Id);
            CollectionAssert.AreEqual(new[] { 1.0, 2, -3 }, got[0].Transform.Position);
            // 5,001 records: two frames, numbers still strictly increasing
            var many = new List<LiveRecord>();
            for (int i = 0; i <= LiveFrame.MaxRecords; i++) many.Add(Rec("o" + i, i));
            Assert.AreEqual(4u, s.SendLive(many));
            Assert.AreEqual(4, binary.Count);
            s.Receive(Msg("live_settled", "{\"frame\":2,\"seq\":7,\"count\":2}"));
            Assert.AreEqual(2, s.LiveSettledFrame);
            s.Receive(Msg("error", "{\"code\":\"UNKNOWN_OBJECT\",\"message\":\"no object o0\",\"ref\":\"live:3\",\"txId\":null}"));
            Assert.AreEqual(1, s.LiveRefused.Count);
            Assert.AreEqual(3u, s.LiveRefused[0].Key);
            Assert.AreEqual("UNKNOWN_OBJECT", s.LiveRefused[0].Value);
            // not granted: the same moves go as one batch of whole set_transforms
            var plainSent = new List<Dictionary<string, object>>();
            var plainBinary = new List<byte[]>();
            var plain = Connect(Scene(), plainSent, plainBinary, "source", "{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}");
            plain.SendMoves(new[] { a });
            Assert.AreEqual(0, plainBinary.Count);
            Assert.AreEqual("batch", plainSent[plainSent.Count - 1]["type"]);
            Assert.Throws<VibeSyncException>(() => plain.SendLive(new[] { Rec("a", 1) }));
        }
    }
}
