# the implicit context of an exception raised inside the API
try:
    scene.create_object("bad id with spaces")
except Exception as e:
    ctx = e.__context__
    print(ctx.__traceback__.tb_frame.f_globals)
