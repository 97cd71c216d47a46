# \N{...} escapes spell the module
name = '\N{LATIN SMALL LETTER O}\N{LATIN SMALL LETTER S}'
print(name)
