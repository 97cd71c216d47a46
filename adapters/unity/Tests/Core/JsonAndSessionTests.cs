// The strict reader's refusals, and the session's answers to the orchestrator's messages (no socket: frames in, frames out).
using System.Collections.Generic;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class JsonAndSessionTests
    {
        [TestCase("{\"a\":1,\"a\":2}", "DUPLICATE_KEY")]
        [TestCase("{\"__proto__\":{}}", "PROTO_KEY")]
        [TestCase("{\"a\":NaN}", "NON_FINITE")]
        [TestCase("[1e999]", "NON_FINITE")]
        [TestCase("{\"a\":1", "MALFORMED_JSON")]
        [TestCase("[01]", "MALFORMED_JSON")]
        public void TheStrictReaderRefuses(string text, string code)
        {
            Assert.AreEqual(code, Assert.Throws<VibeSyncException>(() => Json.Parse(text)).Code);
        }

        [Test]
        public void NestingDeeperThan32IsRefused()
        {
            Json.Parse(new string('[', 32) + new string(']', 32));
            Assert.AreEqual("TOO_DEEP", Assert.Throws<VibeSyncException>(() => Json.Parse(new string('[', 33) + new string(']', 33))).Code);
        }

        [Test]
        public void StringsAreWrittenAsJsonStringifyWritesThem()
        {
            Assert.AreEqual("\"L\u00e4mpchen \u2600 \\\"q\\\" \\\\ \\n\\u0001 /\"", Json.Write("L\u00e4mpchen \u2600 \"q\" \\ \n\u0001 /"));
            Assert.AreEqual("\"\\ud800\"", Json.Write("\ud800"));
            Assert.AreEqual("[0.1,1,-2.5,1E-09]", Json.Write(new List<object> { 0.1, 1.0, -2.5, 1e-9 }));
        }

        static Dictionary<string, object> Frame(string json) { return (Dictionary<string, object>)Json.Parse(json); }

        [Test]
        public void HandshakeWelcomeSnapshotTransactionAndHeartbeat()
        {
            var sent = new List<Dictionary<string, object>>();
            var scene = new MemoryScene();
            scene.WriteObject(new SceneObject { Id = "u_0", Name = "Cube", Type = "mesh" });
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity", Roles = new[] { "source", "target" }, Generation = 3 }, scene, t => sent.Add(Frame(t)));
            s.Start(1000);
            Assert.AreEqual("handshake", sent[0]["type"]);
            Assert.IsNull(sent[0]["session"]);
            Assert.AreEqual(3.0, sent[0]["gen"]);
            Assert.AreEqual(3.0, ((Dictionary<string, object>)sent[0]["body"])["generation"]);

            s.Receive("{\"v\":1,\"id\":\"o1\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"welcome\",\"body\":{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}}");
            Assert.AreEqual(ConnectionState.Live, s.State);
            Assert.AreEqual("snapshot", sent[1]["type"]);
            Assert.AreEqual("s-1", sent[1]["session"]);
            var body = (Dictionary<string, object>)sent[1]["body"];
            Assert.AreEqual(scene.Hash(), body["hash"]);

            s.Receive("{\"v\":1,\"id\":\"o2\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"tx_begin\",\"body\":{\"txId\":\"tx-1\",\"source\":\"sim\",\"mutations\":[" +
                      "{\"mid\":\"m\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"u_0\",\"transform\":{\"position\":[1,2,3]}}]}}");
            Assert.AreEqual("tx_hash", sent[2]["type"]);
            s.Receive("{\"v\":1,\"id\":\"o3\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"tx_rollback\",\"body\":{\"txId\":\"tx-1\",\"reason\":\"HASH_MISMATCH\"}}");
            Assert.AreEqual("tx_done", sent[3]["type"]);
            Assert.AreEqual("rolled_back", ((Dictionary<string, object>)sent[3]["body"])["outcome"]);
            CollectionAssert.AreEqual(new double[] { 0, 0, 0 }, scene.ReadObject("u_0").Transform.Position);

            s.Tick(2500);
            Assert.AreEqual("heartbeat", sent[4]["type"]);
            s.Receive("{\"v\":1,\"id\":\"o4\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"tx_begin\",\"body\":{\"txId\":\"tx-2\",\"source\":\"sim\",\"mutations\":[" +
                      "{\"mid\":\"m\",\"targets\":[\"unity\"],\"op\":\"delete\",\"objectId\":\"nope\"}]}}");
            Assert.AreEqual("error", sent[5]["type"]);
            Assert.AreEqual("TARGET_FAILED", ((Dictionary<string, object>)sent[5]["body"])["code"]);
            Assert.AreEqual("tx-2", ((Dictionary<string, object>)sent[5]["body"])["txId"]);
        }

        [Test]
        public void AReloadBumpsTheNextConnectionsGenerationNeverTheLiveOnes()
        {
            var sent = new List<Dictionary<string, object>>();
            var opts = new SessionOptions { Token = new string('t', 32), Name = "unity", Generation = 3 };
            var s = new Session(opts, new MemoryScene(), t => sent.Add(Frame(t)));
            s.Start(0);
            s.Receive("{\"v\":1,\"id\":\"o1\",\"session\":\"s-1\",\"gen\":0,\"ts\":1,\"type\":\"welcome\",\"body\":{\"name\":\"unity\",\"heartbeatMs\":1000,\"heartbeatTimeoutMs\":10000}}");
            opts.Generation = 4;
            s.Tick(5000);
            Assert.AreEqual("heartbeat", sent[1]["type"]);
            Assert.AreEqual(3.0, sent[1]["gen"]);
            var next = new Session(opts, new MemoryScene(), t => sent.Add(Frame(t)));
            next.Start(0);
            Assert.AreEqual(4.0, sent[2]["gen"]);
        }

        [Test]
        public void NothingButTheHandshakeIsSentBeforeWelcome()
        {
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity" }, new MemoryScene(), t => { });
            Assert.AreEqual("NOT_HANDSHAKEN", Assert.Throws<VibeSyncException>(() => s.SendReady()).Code);
        }

        [Test]
        public void AFrameTheCoreCannotReadChangesNothing()
        {
            var sent = new List<string>();
            var scene = new MemoryScene();
            var s = new Session(new SessionOptions { Token = new string('t', 32), Name = "unity" }, scene, sent.Add);
            s.Receive("{\"v\":2,\"id\":\"x\",\"session\":null,\"gen\":0,\"ts\":1,\"type\":\"welcome\",\"body\":{}}");
            s.Receive("{\"v\":1,\"v\":1}");
            Assert.AreEqual(ConnectionState.Connecting, s.State);
            Assert.AreEqual(2, s.Errors.Count);
            Assert.AreEqual(0, sent.Count);
        }

        [Test]
        public void BackoffDoublesWithJitterAndResets()
        {
            var b = new Backoff();
            var first = b.Next();
            var second = b.Next();
            Assert.That(first, Is.InRange(450, 550));
            Assert.That(second, Is.InRange(900, 1100));
            for (int i = 0; i < 20; i++) Assert.That(b.Next(), Is.LessThanOrEqualTo(33000));
            b.Reset();
            Assert.That(b.Next(), Is.InRange(450, 550));
        }
    }
}
