# build a class at run time whose destructor runs code
Evil = type('Evil', (object,), {'__del__': lambda self: print('boom')})
Evil()
