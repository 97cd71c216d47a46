# trusted frames reached from a generator the API iterates
def g():
    yield g_.gi_frame.f_back.f_globals["__builtins__"]
g_ = g()
scene.create_object("x", position=g_)
