adthresh --maps data/bottle --masks data/bottle --aupimo=1e-4:1e-3 --per-image "$TMPDIR/p.csv" --format json > "$TMPDIR/r.json" && cat "$TMPDIR/p.csv" && python3 -c '
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["aupimo"]]
doc = json.load(open(sys.argv[2]))["pixel"]["aupimo"]
m = sum(float(r["aupimo"]) for r in rows) / len(rows)
print(len(rows), "anomalous images; their mean is the report'"'"'s within 1e-15:", len(rows) == doc["images"] and abs(m - doc["mean"]) <= 1e-15)
' "$TMPDIR/p.csv" "$TMPDIR/r.json"
