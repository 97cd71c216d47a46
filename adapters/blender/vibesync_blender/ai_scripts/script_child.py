# The child process of isolate.py: reads {code, namespace, seconds, memory, cpu_seconds} as JSON on stdin, limits
# its own address space and CPU time, runs the script through guard.run and writes one JSON line:
# the namespace afterwards, or the kind of failure. Run as `python -I -S -B script_child.py`; imports guard.py
# from its own folder and nothing else of the add-on.
import json
import math
import os
import sys


def main():
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        # CPU seconds: should the parent be gone (Blender killed, no one left to enforce its
        # timeout), the kernel ends the child with SIGXCPU a second after that timeout
        cpu = int(request.get("cpu_seconds") or math.ceil(request["seconds"]) + 3)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (ImportError, ValueError, OSError):  # Windows: the parent's timeout still bounds the run
        pass
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import guard

    namespace = request["namespace"]
    try:
        guard.run(request["code"], namespace, request["seconds"])
        text = json.dumps({"ok": True, "namespace": namespace})
    except guard.ScriptTooCostly as e:
        text = json.dumps({"ok": False, "kind": "too_costly", "message": str(e)})
    except guard.ScriptRefused as e:
        text = json.dumps({"ok": False, "kind": "refused", "message": str(e)})
    except guard.ScriptStopped as e:
        text = json.dumps({"ok": False, "kind": "stopped", "message": str(e)})
    except guard.ScriptFailed as e:
        text = json.dumps({"ok": False, "kind": "failed", "message": str(e)})
    except MemoryError:
        text = json.dumps({"ok": False, "kind": "stopped", "message": "script ran out of memory"})
    except (TypeError, ValueError) as e:  # the script left something JSON cannot carry
        text = json.dumps({"ok": False, "kind": "failed", "message": "the script left values that are not plain data: %s" % e})
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
