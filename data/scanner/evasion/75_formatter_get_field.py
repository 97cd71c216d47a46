# string.Formatter().get_field walks attributes by name
import string, random
sh = string.Formatter().get_field("0._os.system", [random], {})[0]
sh("id")
