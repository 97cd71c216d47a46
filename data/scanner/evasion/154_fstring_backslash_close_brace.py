# "\}}" then a field: after a backslash the braces are still braces to Python
x = 1
print(f"\}}{x.__class__}")
