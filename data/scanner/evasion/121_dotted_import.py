# a dotted import reaches a submodule
import os.path
os.path.expanduser("~")
