# a builtin function's __self__ is the builtins module
m = len.__self__
m.exec("import os")
