# str.format assembly
name = '{}{}'.format('ev', 'al')
print(name)
