# one long C call: a number with a hundred million digits
x = 10 ** (10 ** 8)
