"""What `digitlab inspect --json` prints, computed with numpy: the baseline for DigitLab's start-up time.

Reads an IDX image file and its label file (gzipped or not) and prints the same JSON object, less the class names.
    python3 bench/startup/numpy_inspect.py /usr/share/datasets/fashion-mnist/train-{images-idx3,labels-idx1}-ubyte.gz
--no-std leaves the channel statistics out (the JSON of DigitLab before it had them).
"""
import gzip
import json
import sys

import numpy as np


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def main(images_path, labels_path, with_std):
    images = read(images_path)
    labels = read(labels_path)
    n, h, w = np.frombuffer(images, ">u4", 3, 4)
    pixels = np.frombuffer(images, np.uint8, offset=16).reshape(n, h, w)
    y = np.frombuffer(labels, np.uint8, offset=8)
    counts = np.bincount(y)
    mean = float(pixels.mean(dtype=np.float64))
    summary = {
        "samples": int(n), "height": int(h), "width": int(w), "channels": 1, "classes": int((counts > 0).sum()),
        "class_counts": counts[counts > 0].tolist(), "pixel_min": float(pixels.min()),
        "pixel_max": float(pixels.max()), "pixel_mean": mean,
    }
    if with_std:
        summary.update(channel_mean=[mean], channel_std=[float(pixels.std(dtype=np.float64))])
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    files = [a for a in sys.argv[1:] if a != "--no-std"]
    main(files[0], files[1], "--no-std" not in sys.argv)
