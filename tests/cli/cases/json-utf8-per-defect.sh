cd "$TMPDIR" && rm -rf u && mkdir u && cp -r "$OLDPWD/tests/cli/inputs/px/mvtec/maps" "$OLDPWD/tests/cli/inputs/px/mvtec/masks" u/ && d=$(printf 'd\351faut') && mv u/maps/test/crack "u/maps/test/$d" && mv u/masks/ground_truth/crack "u/masks/ground_truth/$d" && r=$(printf 'r\351sultats') && mv u "$r" && adthresh --maps "$r/maps" --masks "$r/masks" --per-defect -f json >out.json; s=$?; cat out.json; /usr/bin/python3 -c '
import json
d = json.load(open("out.json", encoding="utf-8"))
print(ascii(sorted(d["defects"])), ascii(d["image"]["source"]))'; exit $s
