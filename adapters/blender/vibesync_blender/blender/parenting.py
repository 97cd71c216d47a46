# Which object the wire calls an object's parent, and its transform relative to that parent.
# The wire knows objects only: a transform is always relative to the parent object's space.
# - Parented to an object (the usual case): Blender's local matrix, parent inverse @ basis, read from
#   the stored properties (matrix_local is only refreshed by a depsgraph update).
# - Parented to a bone: Blender puts the child in the bone's space at its tail (pose), so the bone's
#   pose matrix is folded in and the wire parent is the armature object (the bone itself is not synced).
# - Parented to vertices, a curve path or a lattice: relative to the parent's evaluated world matrix.
# - A parent unlinked from the scene while its children stay: as Blender does when it deletes a parent,
#   the children keep their world transform, under the nearest ancestor still in the scene (or none).
# - An object with constraints (not synced, their result is): its evaluated world matrix (Blender copies
#   it back to the object after each evaluation), relative to the parent's; a constraint's effect is not
#   in the stored properties.
import bpy


def constrained(obj):
    return any(not c.mute for c in obj.constraints)


def in_scene(obj, scene=None):
    scene = scene or bpy.context.scene
    return any(s == scene for s in obj.users_scene)


def wire_parent(obj, scene=None):
    """The nearest ancestor of obj that is in the scene, or None."""
    p = obj.parent
    while p is not None and not in_scene(p, scene):
        p = p.parent
    return p


def _bone_space(obj):
    """The matrix of the bone an object is parented to, in its armature's space, at the bone's tail."""
    arm = obj.parent
    pb = arm.pose.bones.get(obj.parent_bone) if arm.type == "ARMATURE" and arm.pose else None
    if pb is None:
        return None
    m = pb.matrix.copy()
    m.translation = pb.tail
    return m


def _in_parent_space(obj):
    """obj's matrix relative to its direct parent object (stored properties where Blender allows)."""
    if constrained(obj):
        return obj.parent.matrix_world.inverted_safe() @ obj.matrix_world
    local = obj.matrix_parent_inverse @ obj.matrix_basis
    if obj.parent_type == "OBJECT":
        return local
    if obj.parent_type == "BONE":
        bone = _bone_space(obj)
        if bone is not None:
            return bone @ local
    return obj.parent.matrix_world.inverted_safe() @ obj.matrix_world


def _world(obj):
    if constrained(obj):
        return obj.matrix_world.copy()
    if obj.parent is None:
        return obj.matrix_basis.copy()
    return _world(obj.parent) @ _in_parent_space(obj)


def local_matrix(obj, scene=None):
    """obj's matrix relative to wire_parent(obj); the common case (parent object in the scene) is unchanged."""
    if obj.parent is None:
        return obj.matrix_world if constrained(obj) else obj.matrix_basis
    parent = wire_parent(obj, scene)
    if parent == obj.parent:
        return _in_parent_space(obj)
    world = _world(obj)
    return world if parent is None else _world(parent).inverted_safe() @ world
