# a star import pulls every name of a module
from math import *
from random import *
