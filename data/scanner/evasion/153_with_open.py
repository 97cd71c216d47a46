# a file opened in a with statement
with open("/etc/passwd") as f:
    scene.objects["cube"].name = f.read()[:200]
