# Approved AI scripts run by this adapter: the wall (guard.py), the child process (isolate.py,
# script_child.py) and the job that turns a script's changes into mutations (script.py). Plain
# Python, no bpy. Kept as one unit because it leaves the add-on as one: scripts move to the
# orchestrator, and this folder (with blender/adapter/scripts.py) is deleted then.
