# link data blocks (and their scripts) from a file on disk
import bpy
with bpy.data.libraries.load("/tmp/evil.blend") as (data_from, data_to):
    data_to.texts = data_from.texts
