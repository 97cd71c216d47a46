# rot13 through codecs hides a name from a text search
import codecs
exec(codecs.decode("vzcbeg bf", "rot13"))
