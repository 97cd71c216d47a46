import bpy

prefix = "Prop"
for index, obj in enumerate(sorted(bpy.context.selected_objects, key=lambda o: o.name)):
    obj.name = "{}_{:03d}".format(prefix, index + 1)
