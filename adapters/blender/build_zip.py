# Packs the add-on as an installable zip (Edit > Preferences > Add-ons > Install...):
#   python3 adapters/blender/build_zip.py [OUT.zip]     (default dist/vibesync_blender.zip)
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = "vibesync_blender"


def build(out):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(os.listdir(os.path.join(HERE, PACKAGE))):
            if name.endswith(".py"):
                z.write(os.path.join(HERE, PACKAGE, name), "%s/%s" % (PACKAGE, name))
    return out


if __name__ == "__main__":
    default = os.path.join(HERE, "..", "..", "dist", "vibesync_blender.zip")
    print(build(sys.argv[1] if len(sys.argv) > 1 else default))
