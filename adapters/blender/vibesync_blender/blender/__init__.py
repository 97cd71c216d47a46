# The add-on's engine layer: everything that imports bpy. Registration, the bpy handlers and the
# timer, the running adapter, the panel, the headless loop, reading (export) and writing (apply,
# resync) the scene, the source stream, and the adapter itself (adapter/: a router and its handlers).
# Runs inside Blender only; its tests run in headless Blender.
