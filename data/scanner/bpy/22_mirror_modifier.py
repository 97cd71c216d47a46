import bpy

character = bpy.data.objects["Character_Body"]
mirror = character.modifiers.new("Mirror", 'MIRROR')
mirror.use_axis[0] = True
mirror.use_clip = True
mirror.mirror_object = bpy.data.objects.get("Character_Root")
