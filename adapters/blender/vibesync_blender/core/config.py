# Where the adapter connects and as whom: the environment first (headless runs, CI), then the
# add-on preferences (desktop Blender), then the defaults.
import os


def config_from(prefs=None):
    """{"url", "token", "name", "targets"}; `prefs` is anything with the preferences' attributes."""
    def pick(env, attr, default=""):
        return os.environ.get(env) or (getattr(prefs, attr, "") if prefs else "") or default
    targets = pick("VIBESYNC_TARGETS", "targets")
    return {
        "url": pick("VIBESYNC_URL", "url", "ws://127.0.0.1:7420/adapter"),
        "token": pick("VIBESYNC_TOKEN", "token"),
        "name": pick("VIBESYNC_NAME", "engine_name", "blender"),
        "targets": [t.strip() for t in targets.split(",") if t.strip()],
    }
