# A null gt_mask is no mask: label 1 in a good folder still needs one (the
# label decides when there is one).
cd "$TMPDIR" && cat >r.json <<'DOC'
[
{"image_path": "test/crack/000.png", "gt_label": 1, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
{"image_path": "test/good/001.png", "gt_label": 0, "anomaly_map": [[0.8, 0.1], [0.2, 0.3]], "gt_mask": null},
{"image_path": "test/good/002.png", "gt_label": "anomalous", "anomaly_map": [[0.1, 0.2], [0.2, 0.3]], "gt_mask": null}
]
DOC
adthresh --maps r.json
