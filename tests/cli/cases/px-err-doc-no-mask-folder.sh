# Without a gt_label the folder of image_path decides (JSON Lines: the line
# of the image's object).
cd "$TMPDIR" && cat >r.jsonl <<'DOC'
{"image_path": "test/good/000.png", "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]}
{"image_path": "test/crack/000.png", "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]}
{"image_path": "test/crack/001.png", "anomaly_map": [[0.8, 0.1], [0.2, 0.3]], "gt_mask": null}
DOC
adthresh --maps r.jsonl
