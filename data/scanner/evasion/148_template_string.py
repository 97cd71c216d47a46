# a Python 3.14 template string: its interpolations are code
t"{print.__globals__}"
