# the step limit is raised from a callback; a finally that swallows it (return) must not run on
# unlimited: with sys.settrace CPython dropped the tracer that raised and only the time limit stopped
# this, now every further line raises the limit again
def spin():
    try:
        while True:
            pass
    finally:
        return 0
spin()
n = 0
while True:
    n += 1
