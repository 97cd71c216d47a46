import bpy

def add_light(name, kind, energy, location):
    data = bpy.data.lights.new(name=name, type=kind)
    data.energy = energy
    light = bpy.data.objects.new(name=name, object_data=data)
    bpy.context.collection.objects.link(light)
    light.location = location
    return light

key = add_light("Key", 'AREA', 800.0, (4.0, -4.0, 5.0))
fill = add_light("Fill", 'AREA', 200.0, (-4.0, -2.0, 3.0))
rim = add_light("Rim", 'SPOT', 500.0, (0.0, 5.0, 4.0))
