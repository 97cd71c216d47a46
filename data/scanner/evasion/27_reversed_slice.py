# reversed literal
name = 'metsys'[::-1]
import bpy
fn = getattr(bpy.app, name)
