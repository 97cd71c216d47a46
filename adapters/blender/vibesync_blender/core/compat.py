# Differences between Blender versions the add-on meets, decided by looking (feature detection),
# never by version numbers. No bpy import: unit-tested in plain python3 with stand-in objects.
from urllib.parse import urlsplit

# Principled BSDF inputs by wire texture slot; 4.0 renamed "Emission" (the colour) to "Emission Color"
PRINCIPLED_INPUTS = (
    ("base_color", ("Base Color",)),
    ("metallic", ("Metallic",)),
    ("roughness", ("Roughness",)),
    ("normal", ("Normal",)),
    ("emission", ("Emission Color", "Emission")),
    ("alpha", ("Alpha",)),
)


def node_input(node, *names):
    """The first of `names` the node has as an input socket, or None."""
    for name in names:
        if name in node.inputs:
            return node.inputs[name]
    return None


def principled_input(node, slot):
    return node_input(node, *dict(PRINCIPLED_INPUTS)[slot])


def uses_nodes(mat):
    # Blender 5.0 deprecates Material.use_nodes (node trees are always on); absent means "yes"
    return getattr(mat, "use_nodes", True) and mat.node_tree is not None


def enable_nodes(mat):
    if hasattr(mat, "use_nodes") and not mat.use_nodes:
        mat.use_nodes = True


def may_connect(url, online_access):
    """Blender 4.2+ has a user setting that forbids add-ons to go online (bpy.app.online_access);
    a loopback orchestrator is not online. None when allowed, else the reason."""
    host = (urlsplit(url).hostname or "").lower()
    if online_access is False and host not in ("127.0.0.1", "localhost", "::1"):
        return "Blender's 'Allow Online Access' is off: only a loopback orchestrator (127.0.0.1) may be used"
    return None
