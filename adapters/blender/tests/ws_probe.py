# Driven by blender.test.ts against the `ws` library's server: echoes every message it receives
# as "echo:<kind>:<length>:<sha256>" and prints how the connection ended, as JSON on stdout.
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender.core.wsclient import WsClient, WsClosed, WsError


def main(url):
    try:
        ws = WsClient(url, headers={"X-Probe": "1"}).connect()
    except WsError as e:
        print(json.dumps({"event": "refused", "error": str(e)}))
        return
    ws.send_text("hello")
    while True:
        try:
            msg = ws.recv()
        except WsClosed as e:
            print(json.dumps({"event": "closed", "code": e.code, "reason": e.reason}))
            return
        data = msg.encode("utf-8") if isinstance(msg, str) else msg
        kind = "text" if isinstance(msg, str) else "binary"
        if msg == "send-big":
            ws.send_text("x" * 200000)
            continue
        ws.send_text("echo:%s:%d:%s" % (kind, len(data), hashlib.sha256(data).hexdigest()))


if __name__ == "__main__":
    main(sys.argv[1])
