# point an image at a dotfile and save over it
import bpy
img = bpy.data.images.new("tmp", 4, 4)
img.filepath_raw = "/home/artist/.bashrc"
img.file_format = 'PNG'
img.save()
