# doubled braces, a named character and an escaped backslash before a field are text to Python too
x = 1
print(f"{{x.__class__}} \N{BULLET} \\{x}")
