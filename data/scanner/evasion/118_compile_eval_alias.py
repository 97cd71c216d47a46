# compile then eval through aliases
c = compile
e = eval
e(c("1 + 1", "<x>", "eval"))
