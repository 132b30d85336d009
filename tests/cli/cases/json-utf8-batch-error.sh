cd "$TMPDIR" && rm -rf b && cp -r "$OLDPWD/tests/cli/inputs/batch/mvtec" b && c=$(printf 'caf\351') && mv b/results/screw "b/results/$c" && mv b/dataset/screw "b/dataset/$c" && rm "b/dataset/$c/ground_truth/scratch/001_mask.png" && adthresh --batch --keep-going --maps b/results --masks b/dataset -f json >out.json; s=$?; cat out.json; /usr/bin/python3 -c '
import json
d = json.load(open("out.json", encoding="utf-8"))
print(ascii([(k, v.get("error")) for k, v in d["categories"].items()]))'; exit $s
