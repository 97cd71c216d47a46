# the name is built across several assignments
a = 'sub'
b = 'process'
c = a + b
print(c)
