# an exception whose __str__ never returns: the sandbox formats it under the step limit
class Stuck(Exception):
    def __str__(self):
        while True:
            pass
raise Stuck()
