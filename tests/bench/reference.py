"""What a user runs instead of adthresh: scikit-learn on the same files.

Usage: reference.py stacked MAPS.npy MASKS.npy | folder MAPS_DIR MASKS_DIR
Loads every map and mask, pools the pixels, and computes what adthresh
reports at the pixel level: the F1-maximising threshold from
precision_recall_curve (the lowest on ties, as anomalib's argmax over
ascending thresholds picks), the counts at it, AUROC and AP.  Prints one
JSON object; "seconds" is the time after the imports.
"""
import glob
import json
import os
import sys
import time

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score


def load_stacked(maps, masks):
    return np.load(maps).ravel(), np.load(masks).ravel().astype(bool)


def load_folder(maps_dir, masks_dir):
    import tifffile
    from PIL import Image
    scores, labels = [], []
    for path in sorted(glob.glob(os.path.join(maps_dir, "test", "*", "*.tiff"))):
        defect = os.path.basename(os.path.dirname(path))
        stem = os.path.splitext(os.path.basename(path))[0]
        amap = tifffile.imread(path)
        if defect == "good":
            mask = np.zeros(amap.shape, bool)
        else:
            mask_path = os.path.join(masks_dir, "ground_truth", defect, stem + "_mask.png")
            mask = np.asarray(Image.open(mask_path)) > 0
        scores.append(amap.ravel())
        labels.append(mask.ravel())
    return np.concatenate(scores), np.concatenate(labels)


def main():
    start = time.perf_counter()
    kind, maps, masks = sys.argv[1:4]
    scores, labels = (load_stacked if kind == "stacked" else load_folder)(maps, masks)
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    best = int(np.argmax(f1[:-1]))
    threshold = thresholds[best]
    predicted = scores >= threshold
    out = {
        "threshold": float(threshold),
        "tp": int(np.count_nonzero(predicted & labels)),
        "fp": int(np.count_nonzero(predicted & ~labels)),
        "f1": float(f1[best]),
        "auroc": float(roc_auc_score(labels, scores)),
        "ap": float(average_precision_score(labels, scores)),
        "n": int(scores.size),
        "seconds": time.perf_counter() - start,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
