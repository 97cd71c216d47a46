# typing.get_type_hints evaluates annotation strings; the string comes from scene data, not the script
import bpy
import typing

def f(x): pass

f.__annotations__ = {"x": bpy.data.objects["Note"]["expr"]}
typing.get_type_hints(f)
