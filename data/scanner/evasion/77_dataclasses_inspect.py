# a module reached through another module
import dataclasses
dataclasses.inspect.stack()[0].frame.f_globals
