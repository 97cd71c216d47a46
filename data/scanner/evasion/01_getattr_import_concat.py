# getattr on a module imported by a concatenated name
import bpy
getattr(__import__('o' + 's'), 'system')('id')
