# Images that need no mask: gt_label 0 (in any folder, or none), and
# without a gt_label an image_path in a folder named good, ok or normal.
cd "$TMPDIR" && cat >r.json <<'DOC'
[
{"image_path": "test/crack/000.png", "gt_label": 1, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
{"image_path": "test/crack/001.png", "gt_label": 0, "anomaly_map": [[0.3, 0.1], [0.2, 0.3]]},
{"gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.4]], "gt_mask": null},
{"image_path": "images/002.png", "gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]},
{"image_path": "test/OK/003.png", "anomaly_map": [[0.1, 0.2], [0.25, 0.3]]},
{"image_path": "test/normal/004.png", "anomaly_map": [[0.1, 0.2], [0.2, 0.35]]},
{"image_path": "test/good/005.png", "anomaly_map": [[0.1, 0.2], [0.2, 0.3]], "gt_mask": null}
]
DOC
adthresh --maps r.json
