# a base that is not a class: Python calls its type with the class name, bases and body
try:
    class X(1):
        pass
except TypeError as e:
    print("refused:", e)
