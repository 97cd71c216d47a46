// Ask, then send (docs/protocol.md "Blobs"): a Session's uploads of the blobs its engine holds, one at a time and in
// order: blob_query, the chunks of those in blob_need, then blob_stored for each, and only then what names them.
// Its state (the queue, the count sent) is its own; it sends through the Session it belongs to.
using System;
using System.Collections.Generic;

namespace VibeSync.Core
{
    sealed class BlobUploads
    {
        /// <summary>Blobs to offer, then what to send once each needed one is blob_stored. Uploads run one at a time, in order.</summary>
        sealed class Upload
        {
            public List<string> Hashes;
            public Action Then;
            public string QueryId;
            public readonly HashSet<string> Awaiting = new HashSet<string>(StringComparer.Ordinal);
        }

        readonly Queue<Upload> uploads = new Queue<Upload>();
        readonly BlobStore blobs;
        readonly Func<string, object, string> send;
        readonly Action<byte[]> sendBinary;
        readonly List<string> errors;

        /// <param name="send">the Session's Send (an envelope, its message id back)</param>
        /// <param name="errors">the Session's Errors</param>
        public BlobUploads(BlobStore blobs, Func<string, object, string> send, Action<byte[]> sendBinary, List<string> errors)
        {
            this.blobs = blobs;
            this.send = send;
            this.sendBinary = sendBinary;
            this.errors = errors;
        }

        /// <summary>Uploads in flight (a query unanswered, or blobs not yet stored).</summary>
        public int Pending { get { return uploads.Count; } }
        /// <summary>Blobs sent as chunk frames.</summary>
        public int BlobsSent;

        /// <summary>
        /// Runs `then` (the snapshot or mutation naming these blobs) once the orchestrator holds every one of them:
        /// blob_query, the chunks of those in blob_need, then blob_stored for each. Later sends wait behind an upload in flight,
        /// so the order of what this engine sends is kept. A blob refused (RESOURCE_LIMIT, HASH_MISMATCH) drops `then`: it would be refused too.
        /// </summary>
        public void After(IList<string> hashes, Action then)
        {
            var u = new Upload { Hashes = new List<string>(hashes), Then = then };
            uploads.Enqueue(u);
            if (uploads.Count == 1) Start();
        }

        void Start()
        {
            while (uploads.Count > 0)
            {
                var u = uploads.Peek();
                if (u.Hashes.Count == 0)
                {
                    uploads.Dequeue();
                    u.Then();
                    continue;
                }
                var list = new List<object>();
                foreach (var h in u.Hashes)
                {
                    var bytes = blobs.Get(h);
                    if (bytes == null) throw new VibeSyncException("SOURCE_FAILED", "blob " + h + " is referenced but not held");
                    list.Add(new JObj().Add("hash", h).Add("kind", ImageInfo.Read(bytes) != null ? "texture" : "mesh").Add("size", bytes.LongLength));
                }
                u.QueryId = send("blob_query", new JObj().Add("blobs", list));
                return;
            }
        }

        /// <summary>blob_need: the chunks of the blobs the orchestrator asks for, if it answers the upload in flight.</summary>
        public void Need(Dictionary<string, object> body)
        {
            var reference = Wire.Str(body, "ref", "blob_need");
            if (uploads.Count == 0 || uploads.Peek().QueryId != reference) return;
            var u = uploads.Peek();
            foreach (var h in Wire.Strings(Wire.Req(body, "need", "blob_need"), "blob_need.need"))
            {
                var bytes = blobs.Get(h);
                if (bytes == null || !u.Hashes.Contains(h)) continue;
                u.Awaiting.Add(h);
                foreach (var frame in BlobFrames.Chunks(h, bytes)) sendBinary(frame);
                BlobsSent++;
            }
            if (u.Awaiting.Count == 0) Finish();
        }

        /// <summary>blob_stored: once every blob sent is stored, the upload in flight is done.</summary>
        public void Stored(string hash)
        {
            if (uploads.Count == 0) return;
            var u = uploads.Peek();
            if (u.Awaiting.Remove(hash) && u.Awaiting.Count == 0 && u.QueryId != null) Finish();
        }

        void Finish()
        {
            var u = uploads.Dequeue();
            u.Then();
            Start();
        }

        /// <summary>An error: RESOURCE_LIMIT or HASH_MISMATCH for the upload in flight drops it with what it would have sent.</summary>
        public void Refused(Dictionary<string, object> body, string code, string message)
        {
            if (uploads.Count == 0 || (code != "RESOURCE_LIMIT" && code != "HASH_MISMATCH")) return;
            var u = uploads.Peek();
            object reference;
            body.TryGetValue("ref", out reference);
            bool ours = u.QueryId != null && u.QueryId.Equals(reference);
            foreach (var h in u.Hashes) ours |= message.Contains(h);
            if (!ours) return;
            errors.Add(code + ": the upload was refused; what named its blobs was not sent");
            uploads.Dequeue();
            Start();
        }
    }
}
