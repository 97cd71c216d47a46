# rot13-encoded payload
import codecs
exec(codecs.decode('vzcbeg bf', 'rot13'))
