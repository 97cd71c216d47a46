# prints forever
while True:
    print("spam" * 100)
