# a lambda default argument evaluated once, holding a generator frame
f = lambda g=(x for x in [1]): g.gi_frame.f_back
print(f())
