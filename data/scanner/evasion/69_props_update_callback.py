# a property update callback keeps running after the transaction commits
import bpy

def on_change(self, context):
    print("changed")

bpy.types.Scene.watch = bpy.props.FloatProperty(update=on_change)
