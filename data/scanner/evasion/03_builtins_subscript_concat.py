# fetch eval out of __builtins__ with a split name
fn = __builtins__['ev' + 'al']
fn("print('pwned')")
