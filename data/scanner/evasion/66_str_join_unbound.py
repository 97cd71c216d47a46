# the join method called through the str type, and __add__ instead of +
target = str.join('', ['sub', 'process'])
alt = 'ev'.__add__('al')
