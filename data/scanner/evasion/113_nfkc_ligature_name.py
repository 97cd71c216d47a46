# the ligature "ﬁ" normalises to "fi" in Python: a name that is not ASCII to the checker
ﬁlter = eval
ﬁlter("1")
