# a finaliser that runs after the script
class A:
    def __del__(self):
        print("later")
keep = A()
