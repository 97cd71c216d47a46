# compile source then run the code object indirectly
code_obj = compile("print('x')", "<ai>", "exec")
f = type(lambda: 0)(code_obj, {})
f()
