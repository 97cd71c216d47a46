# the blocked module hides second in an import list
import bpy, os
os.remove('/tmp/scene.blend')
