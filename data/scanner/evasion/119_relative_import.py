# a relative import of a sibling module of the sandbox
from . import sandbox
