cd "$TMPDIR" && f=$(printf 'scor\351s.csv') && cp "$OLDPWD/tests/cli/inputs/mvtec.csv" "$f" && adthresh -f json "$f" >src.json; s=$?; cat src.json; /usr/bin/python3 -c '
import json
print(ascii(json.load(open("src.json", encoding="utf-8"))["image"]["source"]))'; exit $s
