# A gt_label that disagrees with the image's mask warns as a scores file's
# label does (an anomalous label with an empty mask, a normal one with
# anomalous pixels).
cd "$TMPDIR" && cat >r.json <<'DOC'
[
{"image_path": "test/crack/000.png", "gt_label": 1, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
{"image_path": "test/crack/001.png", "gt_label": 1, "anomaly_map": [[0.8, 0.1], [0.2, 0.3]], "gt_mask": [[0, 0], [0, 0]]},
{"image_path": "test/crack/002.png", "gt_label": 0, "anomaly_map": [[0.8, 0.1], [0.7, 0.3]], "gt_mask": [[1, 0], [1, 0]]},
{"image_path": "test/good/000.png", "gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]}
]
DOC
adthresh --maps r.json
