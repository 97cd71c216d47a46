# a comment inside a multi-line f-string field (3.12+), the attribute on the next line
x = f"""{print # comment "
.__globals__}"""
