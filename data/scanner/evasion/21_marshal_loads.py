# marshal a code object in
import marshal
blob = bytes.fromhex('e3000000')
marshal.loads(blob)
