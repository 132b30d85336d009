# An image labelled anomalous without a gt_mask would count every pixel
# normal (and, without scores, the image too): an error naming it.
cd "$TMPDIR" && cat >r.json <<'DOC'
[
{"image_path": "test/crack/000.png", "pred_score": 0.7, "gt_label": 1, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
{"image_path": "test/crack/001.png", "pred_score": 0.8, "gt_label": 1, "anomaly_map": [[0.8, 0.1], [0.2, 0.3]]},
{"image_path": "test/good/000.png", "pred_score": 0.2, "gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]}
]
DOC
adthresh --maps r.json
