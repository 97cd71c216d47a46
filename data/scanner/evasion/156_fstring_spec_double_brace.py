# in a format spec "{{" is not an escape: the inner braces are a set display, evaluated
print(f"{1:{{print.__globals__}}}")
