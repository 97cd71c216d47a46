# Packs the add-on as one installable zip for Blender 3.x-4.x (Edit > Preferences > Add-ons >
# Install..., "Install legacy Add-on" in 4.2+) and for 4.2+ extensions (Get Extensions > Install
# from Disk), which read vibesync_blender/blender_manifest.toml, generated here from bl_info:
#   python3 adapters/blender/build_zip.py [OUT.zip]     (default dist/vibesync_blender.zip)
import ast
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = "vibesync_blender"


def bl_info():
    with open(os.path.join(HERE, PACKAGE, "__init__.py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "bl_info")
    return ast.literal_eval(node.value)


def manifest(info):
    # Blender requires a GPL-compatible licence for add-ons (they link against bpy)
    return "\n".join([
        'schema_version = "1.0.0"',
        'id = "%s"' % PACKAGE,
        'version = "%s"' % ".".join(str(v) for v in info["version"]),
        'name = "%s"' % info["name"],
        'tagline = "Sync this scene with the VibeSync orchestrator"',
        'maintainer = "%s"' % info["author"],
        'type = "add-on"',
        'blender_version_min = "4.2.0"',
        'license = ["SPDX:GPL-3.0-or-later"]',
        'tags = ["%s"]' % info["category"],
        "",
        "[permissions]",
        'network = "Connects to the VibeSync orchestrator (WebSocket)"',
        'files = "Reads image files to hash textures"',
        "",
    ])


def sources():
    """The package's .py files, subfolders (core/, blender/) included, as zip paths."""
    root = os.path.join(HERE, PACKAGE)
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, HERE).replace(os.sep, "/")
        out.extend((os.path.join(folder, name), "%s/%s" % (rel, name)) for name in sorted(files) if name.endswith(".py"))
    return out


def build(out):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, name in sources():
            z.write(path, name)
        z.writestr("%s/blender_manifest.toml" % PACKAGE, manifest(bl_info()))
    return out


if __name__ == "__main__":
    default = os.path.join(HERE, "..", "..", "dist", "vibesync_blender.zip")
    print(build(sys.argv[1] if len(sys.argv) > 1 else default))
