# The sidebar panel's text, from the adapter's state; no bpy, so it is unit-tested in python3.
# "In flight" is this Blender's own count: messages sent but not yet acknowledged by the
# orchestrator, and transactions (or approved scripts) it is applying. It is not the orchestrator's
# PENDING count of proposals awaiting review: the adapter protocol does not carry that to engines.
# The live lane's line says how far the orchestrator has settled (made durable) the frames sent.


def ago(seconds):
    return "never" if seconds is None else ("< 1 s ago" if seconds < 1 else "%.0f s ago" % seconds)


def live_text(live):
    """The live lane: granted or not, the last frame sent, the latest live_settled, frames received."""
    if not live.granted:
        return "Live lane: not granted (playback goes as batches)"
    sent = live.next_frame - 1
    settled = "none" if live.settled is None else "frame %d" % live.settled
    return "Live lane: %d frame%s sent, settled %s; %d received" % (sent, "" if sent == 1 else "s", settled, live.received)


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
    live = getattr(a, "live", None)
    if live is not None and a.state == "healthy":
        lines.append((live_text(live), "NONE"))
    if a.last_error:
        lines.append((a.last_error[:80], "INFO"))
    return lines
