import bpy

labels = {"Exit": (0.0, 9.5, 2.5), "Open Hours": (4.0, 9.5, 2.5), "Stage": (0.0, -9.0, 3.0)}
for text, where in labels.items():
    curve = bpy.data.curves.new(name=f"Label_{text}", type='FONT')
    curve.body = text.upper()
    curve.size = 0.4
    label = bpy.data.objects.new(curve.name, curve)
    label.location = where
    bpy.context.collection.objects.link(label)
