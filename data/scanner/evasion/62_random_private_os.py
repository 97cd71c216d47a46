# the random module keeps its own reference to os
import random
random._os.unlink("/tmp/project/cache.db")
