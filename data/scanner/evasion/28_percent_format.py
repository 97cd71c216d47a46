# printf-style assembly
target = '%s%s' % ('o', 's')
m = __import__(target)
