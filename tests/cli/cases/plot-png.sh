T=$(mktemp -d) && adthresh --maps data/bottle --masks data/bottle --plot "$T/p.png" data/bottle/scores.csv >/dev/null && adthresh --maps data/bottle --masks data/bottle --plot "$T/q.PNG" data/bottle/scores.csv >/dev/null && python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
print("signature", b[:8] == b"\x89PNG\r\n\x1a\n", "IHDR", b[12:16] == b"IHDR")
w, h = struct.unpack(">II", b[16:24])
print("size %d x %d" % (w, h))
print("same bytes twice", b == open(sys.argv[2], "rb").read())
' "$T/p.png" "$T/q.PNG"; ls -A "$T"
