# Wire mutations, as shared/protocol/mutation.ts defines them: the one place the add-on builds one
# (a fresh mid, explicit targets, the op and its fields) and reads which subject it touches. The
# diff of the source stream and the AI script job both build theirs here.
import uuid


def mutation(op, targets, **fields):
    """{"mid", "targets", "op", **fields}: a new mutation routed to `targets` (never guessed)."""
    return dict({"mid": uuid.uuid4().hex, "targets": list(targets), "op": op}, **fields)


def subject(m):
    """("object" | "material", id): what mutation `m` touches (mutationSubject in TypeScript)."""
    op = m["op"]
    if op == "set_material":
        return "material", m["materialId"]
    if op == "upsert_material":
        return "material", m["material"]["id"]
    if op == "create":
        return "object", m["object"]["id"]
    return "object", m["objectId"]
