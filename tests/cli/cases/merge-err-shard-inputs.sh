# More shards than images, and inputs --shard cannot cut.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 1/19 --save-counts a.adtc; echo "exit $?"
adthresh data/scores.json --shard 1/100 --save-counts a.adtc; echo "exit $?"
printf '{"image_path": "a.png", "pred_score": 0.5, "gt_label": 0}\n' >doc.jsonl
adthresh --maps doc.jsonl --shard 1/2 --save-counts a.adtc; echo "exit $?"
ls
