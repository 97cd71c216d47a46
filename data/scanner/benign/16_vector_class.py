# a small vector class with operators
class V:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z
    def __add__(self, o):
        return V(self.x + o.x, self.y + o.y, self.z + o.z)
    def __rmul__(self, k):
        return V(self.x * k, self.y * k, self.z * k)
    def tup(self):
        return (self.x, self.y, self.z)
step = V(1, 0, 0)
for i, obj in enumerate(scene.objects):
    obj.position = (i * step + V(0, 1, 0)).tup()
