# Neither a gt_label nor a folder says the image is normal: it needs a mask.
cd "$TMPDIR" && cat >r.json <<'DOC'
[{"anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
 {"image_path": "000.png", "anomaly_map": [[0.8, 0.1], [0.2, 0.3]]}]
DOC
adthresh --maps r.json
