# The same with scores in the document: the image level takes the labels
# as given, and the warning says they disagree with the masks.
cd "$TMPDIR" && cat >r.jsonl <<'DOC'
{"image_path": "test/crack/000.png", "pred_score": 0.9, "gt_label": 1, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]}
{"image_path": "test/crack/001.png", "pred_score": 0.8, "gt_label": true, "anomaly_map": [[0.8, 0.1], [0.2, 0.3]], "gt_mask": [[false, false], [false, false]]}
{"image_path": "test/good/000.png", "pred_score": 0.2, "gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]}
DOC
adthresh --maps r.jsonl
