T=$(mktemp -d) && adthresh --maps data/bottle --masks data/bottle --plot "$T/p.pdf" data/bottle/scores.csv >/dev/null && adthresh --maps data/bottle --masks data/bottle --plot "$T/q.Pdf" data/bottle/scores.csv >/dev/null && python3 -c '
import re, sys
b = open(sys.argv[1], "rb").read()
print("signature", b[:5].decode())
print("pages", len(re.findall(rb"/Type /Page\b", b)))
print("title", re.search(rb"/Title \(([^)]*)\)", b).group(1).decode())
print("media box", re.search(rb"/MediaBox \[([^]]*)\]", b).group(1).decode())
print("creation date", b"/CreationDate" in b)
print("same bytes twice", b == open(sys.argv[2], "rb").read())
' "$T/p.pdf" "$T/q.Pdf"
