# What the depsgraph said changed since the last tick, sorted into what the next stream pass must
# look at: objects, meshes and materials by name, or a full pass when the scene's structure may
# have changed (an object linked, unlinked, added or deleted: collections change) or when undo,
# redo or a resync replaced the scene wholesale; or a frame change (frame_set, playback, scrubbing),
# which the depsgraph handler never sees: the next pass that may send frames looks at every object
# whose transform depends on the frame (blender/animated.py). Pure Python (no bpy): unit-tested in python3.


class Changes:
    def __init__(self, full=False):
        self.full = full
        self.scene = False          # a Scene update: the next pass compares the scene's signature
        self.images = False         # an Image update: every material's textures are looked at again
        self.objects, self.meshes, self.materials = set(), set(), set()
        self.data = set()           # light and camera datablocks by name: the objects using them are looked at
        self.deleted = set()        # ids of deletes held back while a transaction was open
        self.frame = False          # the frame changed: animated objects are looked at (latest frame wins)

    def __bool__(self):
        return bool(self.frame or self.edits())

    def edits(self):
        """Anything but a frame change: what is sent even while a frame is still in flight."""
        return bool(self.full or self.scene or self.images or self.objects or self.meshes or self.materials or self.data
                    or self.deleted)

    def note(self, kind, name, geometry_of=None):
        """kind: the updated datablock's type name; geometry_of: the mesh of an object whose geometry changed."""
        if kind == "Object":
            self.objects.add(name)
            if geometry_of:
                self.meshes.add(geometry_of)
        elif kind == "Mesh":
            self.meshes.add(name)
        elif kind == "Material":
            self.materials.add(name)
        elif kind == "Image":
            self.images = True
        elif kind == "Collection":
            self.full = True
        elif kind == "Scene":
            self.scene = True
        elif kind in ("Light", "Camera"):
            self.data.add(name)
        # node trees (a material's own update comes with them), worlds: nothing the wire carries

    def merge(self, other):
        self.full |= other.full
        self.scene |= other.scene
        self.images |= other.images
        self.objects |= other.objects
        self.meshes |= other.meshes
        self.materials |= other.materials
        self.data |= other.data
        self.deleted |= other.deleted
        self.frame |= other.frame
