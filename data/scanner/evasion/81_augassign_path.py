# a file path built with +=
import bpy
bpy.context.scene.render.filepath += "/../../etc/cron.d/x"
