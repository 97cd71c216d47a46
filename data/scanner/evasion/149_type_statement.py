# the 3.12 type statement: its value is evaluated lazily through __value__
type Alias = print.__globals__
print(Alias.__value__)
