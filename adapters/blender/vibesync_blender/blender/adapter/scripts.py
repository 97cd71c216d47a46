# Approved AI scripts (script_run), run through ai_scripts/: checked by the wall, run on plain data
# in a child process, polled every tick; what a script changed is applied as a transaction and
# answered with script_result. Every script_run is answered (a refusal, an error or a result), and
# stopping the adapter kills running scripts. Leaves with ai_scripts/ when scripts move to the
# orchestrator.
import traceback

from ...ai_scripts import guard, isolate
from ...ai_scripts.script import ScriptError, ScriptJob
from ...core import canonical


class Scripts:
    def __init__(self, adapter):
        self.a = adapter
        self.running = {}  # txId -> (ScriptJob, ref) while an approved script runs

    def look_up_python(self):
        """Finds the Python binary scripts run in, on a thread: never a subprocess on Blender's main thread."""
        isolate.look_up_interpreter()

    def on_run(self, msg, body):
        tx_id = body.get("txId")
        try:
            self._start(msg, body, tx_id)
        except Exception as e:  # noqa: BLE001 - the orchestrator always hears back, never waits for its timeout
            traceback.print_exc()
            self.cancel(tx_id)
            self.a.event("script_failed", txId=tx_id, reason=repr(e), code="TARGET_FAILED")
            self.a.error("TARGET_FAILED", "script could not be started: %s: %s" % (type(e).__name__, e), msg.get("id"), tx_id)

    def _start(self, msg, body, tx_id):
        a = self.a
        try:
            guard.check(body["code"])
        except guard.ScriptRefused as e:
            code = "RESOURCE_LIMIT" if isinstance(e, guard.ScriptTooCostly) else "SECURITY_BLOCKED"
            a.event("script_refused", txId=tx_id, reason=str(e), code=code)
            return a.error(code, "script refused by the Blender adapter: %s" % e, msg["id"], tx_id)
        # what a script changed here is a change of this scene: it goes where local edits go
        job = ScriptJob(a.current(), body["code"], body["touches"], [a.name] + a.targets)
        self.running[tx_id] = (job, msg["id"])
        a.event("script_started", txId=tx_id, isolated=job.run.isolated)

    def poll(self):
        a = self.a
        for tx_id, (job, ref) in list(self.running.items()):
            if not job.done():
                continue
            del self.running[tx_id]
            try:
                mutations = job.mutations()
                sb = a.transactions.begin(tx_id, mutations)
            except (ScriptError, guard.ScriptFailed, guard.ScriptRefused) as e:
                stopped = isinstance(e, (guard.ScriptStopped, guard.ScriptTooCostly))
                code = "RESOURCE_LIMIT" if stopped else "TARGET_FAILED"
                a.event("script_failed", txId=tx_id, reason=str(e), code=code)
                a.error(code, "script failed: %s" % e, ref, tx_id)
                continue
            except Exception as e:  # noqa: BLE001 - a bug still answers the orchestrator
                traceback.print_exc()
                a.event("script_failed", txId=tx_id, reason=repr(e), code="TARGET_FAILED")
                a.error("TARGET_FAILED", "script failed: %s: %s" % (type(e).__name__, e), ref, tx_id)
                continue
            a.send("script_result", {"txId": tx_id, "mutations": mutations})
            a.event("script_result", txId=tx_id, count=len(mutations), hash=canonical.tx_hash(sb.state()))

    def cancel(self, tx_id):
        entry = self.running.pop(tx_id, None)
        if entry is not None:
            entry[0].cancel()

    def cancel_all(self):
        for tx_id in list(self.running):
            self.cancel(tx_id)
