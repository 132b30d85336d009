cd "$TMPDIR" && rm -rf b && cp -r "$OLDPWD/tests/cli/inputs/batch/mvtec" b && c=$(printf 'caf\351') && mv b/results/screw "b/results/$c" && mv b/dataset/screw "b/dataset/$c" && adthresh --batch --maps b/results --masks b/dataset -f csv --save-thresholds t.json >chosen.csv && /usr/bin/python3 -c '
import json
print(ascii(sorted(json.load(open("t.json", encoding="utf-8"))["categories"])))' && adthresh --batch --maps b/results --masks b/dataset -f csv --thresholds t.json >given.csv && sed 's/>=,f1,/>=,given,/' chosen.csv | cmp - given.csv && echo "identical but for the policy"
