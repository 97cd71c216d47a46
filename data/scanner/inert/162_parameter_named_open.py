# a parameter named like a blocked builtin is the script's own name
def show(open=print, eval="text"):
    open(eval)
show()
