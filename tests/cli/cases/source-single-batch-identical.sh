d=$(mktemp -d) && M=tests/cli/inputs/batch/mvtec; adthresh -f json --maps $M/results/bottle --masks $M/dataset/bottle > "$d/bottle.json" && adthresh -f json --maps $M/results/carpet --masks $M/dataset/carpet > "$d/carpet.json" && adthresh --batch -f json --maps $M/results --masks $M/dataset > "$d/batch.json" && python3 -c '
import json, sys
batch = json.load(open(sys.argv[1]))["categories"]
for name in ("bottle", "carpet"):
    single = json.load(open(sys.argv[2] + "/" + name + ".json"))
    same = sorted(single) == ["adthresh", "image", "pixel"] and sorted(batch[name]) == ["image", "pixel"] and all(single[l] == batch[name][l] for l in ("image", "pixel"))
    print(name, "identical" if same else "different", "(" + single["image"]["source"] + ")")
' "$d/batch.json" "$d" && cat "$d/bottle.json"
