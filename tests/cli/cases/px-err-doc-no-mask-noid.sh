# No image_path: the element and the line name the image.
cd "$TMPDIR" && cat >r.json <<'DOC'
[{"gt_label": 0, "anomaly_map": [[0.1, 0.2], [0.2, 0.3]]},
 {"gt_label": 0, "anomaly_map": [[0.1, 0.9], [0.2, 0.3]], "gt_mask": [[0, 1], [0, 0]]},
 {"gt_label": 1,
  "anomaly_map": [[0.8, 0.1], [0.2, 0.3]]}]
DOC
adthresh --maps r.json
