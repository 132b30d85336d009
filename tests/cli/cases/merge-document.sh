# A JSON results document without image scores: its images keep distinct
# ids, and its counts merge.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r tests/cli/inputs/px/doc "$d" && cd "$d" || exit 1
/usr/bin/python3 -c '
import json
d = json.load(open("doc/results.json"))
items = d if isinstance(d, list) else d.get("images", d)
for it in items:
    it.pop("pred_score", None); it.pop("gt_label", None)
json.dump(d, open("doc/noscore.json", "w"))' || exit 1
adthresh --maps doc/noscore.json --save-counts a.adtc || exit 1
adthresh --maps doc/noscore.json -f json >whole.json
adthresh --merge a.adtc -f json | cmp - whole.json && echo "same"
