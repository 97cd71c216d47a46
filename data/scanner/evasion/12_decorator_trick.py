# the decorator expression runs code when the def is executed
@__import__('os').system
def payload():
    pass
