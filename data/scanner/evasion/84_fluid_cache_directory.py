# fluid cache directory
import bpy
bpy.data.objects["d"].modifiers["Fluid"].domain_settings.cache_directory = "/tmp"
