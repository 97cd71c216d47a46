# Stable ids that survive undo and file reverts. A vibesync_id is a custom property stamped by the
# adapter outside any undo step, so Ctrl+Z (or reverting to a file saved before the stamp) brings
# back the object without it. The registry remembers every name an id was seen under (with the
# Blender type), and an object that lost its id gets the remembered one back instead of a fresh id,
# which would read as "deleted + created" on the wire. Names are stable across undo and reload;
# pointers are not (undo reallocates the IDs it restores).

ID_PROP = "vibesync_id"

# the registry of the running adapter; None outside one (unit tests set their own)
current = None


class IdRegistry:
    def __init__(self):
        self.names = {"object": {}, "material": {}}  # name -> (id, blender type)
        self.filepath = None

    def remember(self, kind, idb, sid, btype):
        self.names[kind][idb.name] = (sid, btype)

    def recall(self, kind, idb, btype, taken=()):
        hit = self.names[kind].get(idb.name)
        if hit and hit[1] == btype and hit[0] not in taken:
            return hit[0]
        return None

    def keeper(self, kind, candidates, sid):
        """Of several objects carrying one id (a Shift+D copy carries its original's), the one the id
        was last seen under keeps it."""
        for idb in candidates:
            hit = self.names[kind].get(idb.name)
            if hit and hit[0] == sid:
                return idb
        return None

    def retain(self, kind, live_ids):
        """Forget ids no longer present (deleted objects), so a new object reusing a name is new."""
        table = self.names[kind]
        for name in [n for n, (sid, _) in table.items() if sid not in live_ids]:
            del table[name]

    def leaving(self, filepath):
        """Before a load: the file Blender is leaving (a revert reloads it)."""
        self.filepath = filepath

    def file_loaded(self, filepath):
        """After a load: a revert or reload of the same saved file keeps its objects' ids; another
        file (or a new one) starts afresh, and resync's name + data matching protects its objects."""
        if not filepath or filepath != self.filepath:
            self.names = {"object": {}, "material": {}}
        self.filepath = filepath


def stamp(kind, idb, sid, btype):
    idb[ID_PROP] = sid
    if current is not None:
        current.remember(kind, idb, sid, btype)
