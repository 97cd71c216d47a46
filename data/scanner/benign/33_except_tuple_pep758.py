# several exceptions in one handler, with and without parentheses (Python 3.14)
for ident in ["cube", "nope"]:
    try:
        obj = scene.objects[ident]
        obj.scale = (1, 1, 1)
    except KeyError, ValueError:
        print("skipped", ident)
    except (TypeError, IndexError):
        print("odd", ident)
