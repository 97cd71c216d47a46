# \N{...} is an escape only in a non-raw f-string: raw, the braces hold a field
print(rf"\N{print.__globals__}")
