# attribute reads through a match class pattern
import random
match random:
    case object(_os=object(system=sh)):
        sh("id")
