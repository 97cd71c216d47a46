# bind eval through an assignment expression
if (runner := eval):
    runner("2 * 21")
