# a builtin captured as a lambda default argument
run = (lambda e=eval: e("1 + 1"))
run()
