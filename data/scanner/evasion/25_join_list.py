# join a list of letters into a module name
import importlib as il
m = il.import_module(''.join(['s', 'u', 'b', 'p', 'r', 'o', 'c', 'e', 's', 's']))
