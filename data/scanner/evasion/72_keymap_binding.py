# bind a key to an operator through the window manager data block: it outlives the script
import bpy
wm = bpy.data.window_managers[0]
km = wm.keyconfigs.user.keymaps["Window"]
km.keymap_items.new("wm.quit_blender", 'F5', 'PRESS')
