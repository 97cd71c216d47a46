# The orchestrator's answers to what this adapter sent: an ack settles a message and dates the last
# sync; an error is shown in the panel and settles the message it names. Proposal status is for
# panels, not engines.
import time


class Replies:
    def __init__(self, adapter):
        self.a = adapter

    def on_ack(self, msg, body):
        self.a.unacked.pop(body["ref"], None)
        self.a.last_sync = time.time()
        self.a.event("ack", ref=body["ref"], seq=body["seq"])

    def on_error(self, msg, body):
        self.a.last_error = "%s: %s" % (body.get("code"), body.get("message"))
        if body.get("ref"):
            self.a.unacked.pop(body["ref"], None)
        ref = body.get("ref") or ""
        if ref.startswith("live:") and ref[5:].isdigit():  # a live frame dropped whole
            self.a.live.on_refused(int(ref[5:]), body)
        if body.get("code") in ("HASH_MISMATCH", "RESOURCE_LIMIT"):
            self.a.blobs.on_refused(body)
        self.a.event("orchestrator_error", code=body.get("code"), message=body.get("message"), ref=body.get("ref"))

    def on_proposal_status(self, msg, body):
        pass
