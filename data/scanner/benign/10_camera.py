# a camera looking down the -Z axis from above
import math
half = math.radians(-30) / 2
scene.create_object("cam-top", name="Top camera", type="camera", position=(0, 10, 10), rotation=(math.sin(half), 0, 0, math.cos(half)))
