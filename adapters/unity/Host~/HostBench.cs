// The host's in-process figures for bench/unity.ts (the `bench` and `bench-mesh` commands): a snapshot and
// transactions over a generated scene, and a mesh blob decoded, held, re-encoded and hashed. Medians, in ms.
using System.Collections.Generic;
using VibeSync.Core;

static class HostBench
{
    static double Median(List<double> xs) { xs.Sort(); return xs[(xs.Count - 1) / 2]; }

    /// <summary>In-process figures (ms, median of `runs`): a snapshot of `n` objects (JSON + scene hash), and tx apply + hash for 1 and for `n` moves.</summary>
    public static JObj Scene(int n, int runs)
    {
        var scene = new MemoryScene();
        scene.Replace(HostScene.Generate(n, null, null));
        var data = scene.ToData();
        var snapshot = new List<double>();
        var tx1 = new List<double>();
        var txN = new List<double>();
        int bytes = 0;
        for (int r = 0; r < runs; r++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var text = Json.Write(new JObj().Add("reason", "initial").Add("scene", Wire.Write(data)).Add("hash", Canonical.SceneHash(data)));
            snapshot.Add(sw.Elapsed.TotalMilliseconds);
            bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            foreach (var count in new[] { 1, n })
            {
                var muts = new List<object>();
                for (int i = 0; i < count; i++)
                    muts.Add(Json.Parse("{\"mid\":\"b" + i + "\",\"targets\":[\"unity\"],\"op\":\"set_transform\",\"objectId\":\"u_" + i + "\",\"transform\":{\"position\":[" + (r + 0.5) + ",1,2]}}"));
                var box = new TxSandbox(scene);
                sw.Restart();
                box.Begin("tx-" + r + "-" + count, muts);
                box.Commit("tx-" + r + "-" + count);
                (count == 1 ? tx1 : txN).Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        return new JObj().Add("event", "bench").Add("objects", n).Add("runs", runs).Add("snapshotMs", Median(snapshot)).Add("snapshotBytes", bytes)
            .Add("tx1Ms", Median(tx1)).Add("txAllMs", Median(txN));
    }

    /// <summary>
    /// A mesh blob, in process (median of `runs` after one warm-up): decode it and hold it as float32, then re-encode
    /// what is held and hash it.
    /// </summary>
    public static JObj Mesh(byte[] blob, int runs)
    {
        var decode = new List<double>();
        var encode = new List<double>();
        for (int r = 0; r <= runs; r++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var g = MeshBlob.Hold(MeshBlob.Decode(blob));
            double d = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var hash = Canonical.Sha256Hex(MeshBlob.Encode(g));
            double e = sw.Elapsed.TotalMilliseconds;
            if (hash != Canonical.Sha256Hex(blob)) throw new VibeSyncException("TARGET_FAILED", "the re-encoded mesh differs");
            if (r == 0) continue;
            decode.Add(d);
            encode.Add(e);
        }
        return new JObj().Add("event", "bench-mesh").Add("bytes", blob.Length).Add("decodeMs", Median(decode)).Add("encodeHashMs", Median(encode));
    }
}
