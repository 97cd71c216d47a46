// The live lane of a Session (docs/protocol.md "Live lane"): as a target, live frames applied at once as a
// preview (and kept over a settle that is older); as a source, moves streamed as numbered live frames, or as
// a batch of set_transforms when the lane was not granted.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    public sealed partial class Session
    {
        /// <summary>welcome granted "live": this connection may send live frames, and is sent them.</summary>
        public bool LiveGranted;
        /// <summary>Target: live frames received and read, records applied, records skipped (an object this engine does not hold).</summary>
        public int LiveFramesReceived, LiveRecordsApplied, LiveRecordsSkipped;
        /// <summary>Target: per object, the orchestrator's number of the last live frame applied to it and the transform it carried.</summary>
        readonly Dictionary<string, KeyValuePair<uint, Transform>> liveApplied = new Dictionary<string, KeyValuePair<uint, Transform>>(StringComparer.Ordinal);
        /// <summary>Target: a live frame was applied (its number and records, canonical), after the scene holds it.</summary>
        public event Action<uint, List<LiveRecord>> OnLive;
        /// <summary>Source: live frames sent (numbered from 1 on this connection), the latest frame live_settled made durable (-1 before any).</summary>
        public int LiveFramesSent;
        public long LiveSettledFrame = -1;
        uint nextLiveFrame = 1;
        /// <summary>Source: frames the orchestrator refused (error ref "live:&lt;n&gt;"), with the code: dropped whole, they changed nothing there.</summary>
        public readonly List<KeyValuePair<uint, string>> LiveRefused = new List<KeyValuePair<uint, string>>();

        /// <summary>
        /// A live frame from the orchestrator: a preview, applied at once through the scene (the path a set_transform
        /// takes: the engine converts axes at its edge). An id this engine does not hold is skipped. Never answered: a
        /// frame it cannot read is logged and none of it applied; nothing is sent back, and nothing here is a local edit.
        /// </summary>
        void ReceiveLive(byte[] frame, int length)
        {
            uint number;
            List<LiveRecord> records;
            try { records = LiveFrame.Decode(frame, length, out number); }
            catch (VibeSyncException e)
            {
                Errors.Add(e.Code + ": " + e.Message + " (not applied)");
                return;
            }
            if (!LiveGranted) { Errors.Add("SCHEMA_VIOLATION: a live frame on a connection not granted \"live\" (not applied)"); return; }
            LiveFramesReceived++;
            var direct = scene as ILiveScene;
            foreach (var r in records)
            {
                try
                {
                    bool held;
                    if (direct != null) held = direct.WriteLiveTransform(r.Id, r.Transform);
                    else
                    {
                        var o = scene.ReadObject(r.Id);
                        held = o != null;
                        if (held)
                        {
                            o.Transform = r.Transform.Clone();
                            scene.WriteObject(o);
                        }
                    }
                    if (!held) { LiveRecordsSkipped++; continue; }
                    liveApplied[r.Id] = new KeyValuePair<uint, Transform>(number, r.Transform);
                    LiveRecordsApplied++;
                }
                catch (VibeSyncException e) { Errors.Add(e.Code + ": live frame " + number + ", " + r.Id + ": " + e.Message); }
            }
            var h = OnLive;
            if (h != null) h(number, records);
        }

        /// <summary>After a settle's tx_begin (hash already computed): an object of it that a live frame later than `liveFrame` moved keeps that frame.</summary>
        void KeepNewerLive(IList<object> mutations, uint liveFrame)
        {
            var direct = scene as ILiveScene;
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var raw in mutations)
            {
                var subject = Mutations.Subject((Dictionary<string, object>)raw);
                KeyValuePair<uint, Transform> got;
                if (subject.Key != "object" || !done.Add(subject.Value) || !liveApplied.TryGetValue(subject.Value, out got) || got.Key <= liveFrame) continue;
                if (direct != null) { direct.WriteLiveTransform(subject.Value, got.Value); continue; }
                var o = scene.ReadObject(subject.Value);
                if (o == null) continue;
                o.Transform = got.Value.Clone();
                scene.WriteObject(o);
            }
        }

        /// <summary>
        /// Source: streamed transforms (whole, canonical, as the engine holds them now) as live frames of at most 5,000
        /// records, numbered strictly increasing on this connection. Returns the last frame number. Only when granted.
        /// </summary>
        public uint SendLive(IList<LiveRecord> records)
        {
            if (!LiveGranted) throw new VibeSyncException("SCHEMA_VIOLATION", "the live lane was not granted on this connection");
            if (State != ConnectionState.Live) throw new VibeSyncException("NOT_HANDSHAKEN", "not connected: the live frame was not sent");
            uint last = 0;
            for (int i = 0; i < records.Count; i += LiveFrame.MaxRecords)
            {
                var part = new List<LiveRecord>();
                for (int j = i; j < records.Count && j < i + LiveFrame.MaxRecords; j++) part.Add(records[j]);
                var bytes = LiveFrame.Encode(nextLiveFrame, part);
                last = nextLiveFrame++;
                sendBinary(bytes);
                LiveFramesSent++;
            }
            return last;
        }

        /// <summary>
        /// Source: objects the engine moved (a drag, playback) as they are held now: live frames when the lane is granted,
        /// else one batch of whole set_transforms. Returns "live:&lt;last frame&gt;" or the batch's message id.
        /// </summary>
        public string SendMoves(IList<SceneObject> moved)
        {
            if (LiveGranted)
            {
                var records = new List<LiveRecord>();
                foreach (var o in moved) records.Add(new LiveRecord { Id = o.Id, Transform = o.Transform.Clone() });
                return "live:" + SendLive(records);
            }
            var edits = new List<JObj>();
            foreach (var o in moved) edits.Add(new JObj().Add("op", "set_transform").Add("objectId", o.Id).Add("transform", Wire.Write(o.Transform)));
            return SendEdits(edits);
        }
    }
}
