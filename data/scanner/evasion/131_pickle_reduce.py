# an object whose __reduce__ makes a call when unpickled
import pickle
class P:
    def __reduce__(self):
        return (print, ("x",))
pickle.loads(pickle.dumps(P()))
