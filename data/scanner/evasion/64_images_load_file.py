# read an arbitrary file from disk into an image datablock
import bpy
img = bpy.data.images.load("/home/artist/.ssh/id_rsa", check_existing=False)
