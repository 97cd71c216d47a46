# the dangerous call is buried three functions deep
import bpy

def outer():
    def middle():
        def inner():
            return __import__('shutil').rmtree('/tmp/project')
        return inner()
    return middle()

outer()
