# interactive hooks of the interpreter
help(scene)
input("> ")
breakpoint()
