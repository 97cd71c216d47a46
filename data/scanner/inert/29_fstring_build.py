# f-string assembly of a dunder name
part = "builtins"
key = f"__{part}__"
print(key)
