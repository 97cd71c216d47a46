# The sidebar panel's text, from the adapter's state; no bpy, so it is unit-tested in python3.
# "In flight" is this Blender's own count: messages sent but not yet acknowledged by the
# orchestrator, and transactions (or approved scripts) it is applying. It is not the orchestrator's
# PENDING count of proposals awaiting review: the adapter protocol does not carry that to engines.


def ago(seconds):
    return "never" if seconds is None else ("< 1 s ago" if seconds < 1 else "%.0f s ago" % seconds)


def panel_lines(a, now):
    """[(text, icon)] for the panel of a running adapter `a`."""
    flight = a.in_flight
    lines = [
        ("State: %s%s" % (a.state, " (busy)" if a.busy else ""), "LINKED" if a.state == "healthy" else "ERROR"),
        ("Engine: %s   Generation: %d" % (a.name, a.generation), "NONE"),
        ("Targets: %s" % (", ".join(a.targets) or "none: local edits are not streamed"), "NONE"),
        ("Last sync: %s" % ago(None if a.last_sync is None else now - a.last_sync), "NONE"),
        ("In flight: %d not yet acknowledged, %d transaction%s open" % (
            flight["unacknowledged"], flight["transactions"], "" if flight["transactions"] == 1 else "s"), "NONE"),
    ]
    if a.last_error:
        lines.append((a.last_error[:80], "INFO"))
    return lines
