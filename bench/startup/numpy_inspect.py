"""What `digitlab inspect --json` prints, computed with numpy: the baseline for DigitLab's start-up time.

Reads an IDX image file and its label file (gzipped or not) and prints the same JSON object.
    python3 bench/startup/numpy_inspect.py /usr/share/datasets/fashion-mnist/train-{images-idx3,labels-idx1}-ubyte.gz
"""
import gzip
import json
import sys

import numpy as np


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def main(images_path, labels_path):
    images = read(images_path)
    labels = read(labels_path)
    n, h, w = np.frombuffer(images, ">u4", 3, 4)
    pixels = np.frombuffer(images, np.uint8, offset=16).reshape(n, h, w)
    y = np.frombuffer(labels, np.uint8, offset=8)
    counts = np.bincount(y)
    print(json.dumps({
        "samples": int(n), "height": int(h), "width": int(w), "channels": 1, "classes": int((counts > 0).sum()),
        "class_counts": counts[counts > 0].tolist(), "pixel_min": float(pixels.min()),
        "pixel_max": float(pixels.max()), "pixel_mean": float(pixels.mean(dtype=np.float64)),
    }, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
