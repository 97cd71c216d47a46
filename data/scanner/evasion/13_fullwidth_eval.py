# fullwidth letters: Python applies NFKC to identifiers, so this is eval
ｅｖａｌ("1 + 1")
