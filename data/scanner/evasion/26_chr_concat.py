# chr arithmetic spelling os
name = chr(111) + chr(115)
mod = __import__(name)
