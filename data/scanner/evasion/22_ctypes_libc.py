# call libc directly
import ctypes
libc = ctypes.CDLL(None)
libc.system(b"id")
