# conversions and format specs inside the f-string
m = f"{'o'!s}{'s':s}"
print(m)
