# a lone carriage return ends a comment for Python as well: the import is code# noteimport os
os.system("id")
