# importlib hides the module name from a naive import check
import importlib
mod = importlib.import_module('subprocess')
mod.run(['id'])
