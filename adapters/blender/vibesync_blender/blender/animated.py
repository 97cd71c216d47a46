# Which objects a frame change (frame_set, playback, scrubbing) can move on the wire. The wire
# carries each transform relative to the object's wire parent (parenting.py), so an object is looked
# at when the frame can change that relative transform, or its light or camera data:
# - its own animation: an action, an unmuted NLA track or a driver (on the object, or on its light or
#   camera data); Blender writes the evaluated values back to the object's properties;
# - a constraint (its result is read from the evaluated world matrix, parenting.py);
# - a parent the frame can move, when the parent is not the plain object it sits under on the wire:
#   a bone, vertices or a curve path, or an ancestor left out of the scene (the child's transform is
#   then relative to something further up). A plain child of an animated parent is not sent: its
#   transform relative to the parent does not change, and every engine moves it with its parent.
# What these names export is compared with what the orchestrator holds, so only real changes are sent.
from . import parenting


def _animates(idb):
    ad = getattr(idb, "animation_data", None)
    if ad is None:
        return False
    return ad.action is not None or len(ad.drivers) > 0 or any(not t.mute for t in ad.nla_tracks)


def _own(obj):
    if _animates(obj) or parenting.constrained(obj):
        return True
    return obj.type in ("LIGHT", "CAMERA") and obj.data is not None and _animates(obj.data)


def frame_dependent(scene):
    """Names of the scene's objects whose wire transform (or light/camera data) may change with the frame."""
    memo = {}

    def moves(obj):
        if obj.name in memo:
            return memo[obj.name]
        memo[obj.name] = False  # a parent cycle (Blender refuses them) cannot recurse forever
        parent = obj.parent
        through = parent is not None and (obj.parent_type != "OBJECT" or not parenting.in_scene(parent, scene))
        memo[obj.name] = _own(obj) or (through and moves(parent))
        return memo[obj.name]

    return {obj.name for obj in scene.objects if moves(obj)}
