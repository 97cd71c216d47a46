# from-import with an innocent alias
from os import system as refresh_viewport
refresh_viewport('id')
