# a path through **kw into an operator
import bpy
kw = {"filepath": "/tmp/evil.blend"}
bpy.ops.wm.save_as_mainfile(**kw)
