# importlib to load modules by a built string
import importlib
importlib.import_module("o" + "s")
