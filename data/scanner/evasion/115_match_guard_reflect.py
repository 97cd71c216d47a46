# a match guard is an ordinary expression
match scene:
    case x if x.__class__.__dict__:
        pass
