# introspection builtins outside the language
print(dir(scene), vars(scene.objects), id(scene), hash(scene))
