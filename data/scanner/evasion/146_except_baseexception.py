# catching the sandbox's own limit through BaseException
try:
    while True:
        pass
except BaseException:
    pass
