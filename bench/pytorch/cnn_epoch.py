#!/usr/bin/python3
"""PyTorch baseline for DigitLab's training benchmark.

Times one training epoch over the 60,000 Fashion-MNIST training images with the
same architectures as DigitLab's `cnn` and `mlp` presets, Adam(lr=1e-3), on a
fixed number of CPU threads. Prints samples/s and epoch seconds per
(model, batch size). Needs Debian's `python3-torch` and `dataset-fashion-mnist`.

Run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (they slow torch down):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/cnn_epoch.py
"""
import argparse
import gzip
import time

import numpy as np
import torch
from torch import nn

DEFAULT_IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
DEFAULT_LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load(images_path, labels_path):
    images = read_idx(images_path, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    labels = read_idx(labels_path, 8).astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10))


def mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.4),
        nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.4),
        nn.Linear(64, 10))


MODELS = {"cnn": cnn, "mlp": mlp}


def epoch(model, optimizer, loss_fn, x, y, batch_size, order):
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
    return loss.item()


def bench(name, batch_size, x, y, warmup_batches, seed):
    torch.manual_seed(seed)
    model = MODELS[name]()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    warm = torch.randperm(len(x))[:warmup_batches * batch_size]
    epoch(model, optimizer, loss_fn, x, y, batch_size, warm)
    order = torch.randperm(len(x))
    start = time.perf_counter()
    last_loss = epoch(model, optimizer, loss_fn, x, y, batch_size, order)
    seconds = time.perf_counter() - start
    print(f"{name:4s} batch {batch_size:4d}: {len(x) / seconds:9.0f} samples/s, "
          f"epoch {seconds:7.2f} s, last loss {last_loss:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="cnn,mlp")
    parser.add_argument("--batch-sizes", default="64,128")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup-batches", type=int, default=5)
    parser.add_argument("--images", default=DEFAULT_IMAGES)
    parser.add_argument("--labels", default=DEFAULT_LABELS)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    x, y = load(args.images, args.labels)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{len(x)} images {tuple(x.shape[1:])}", flush=True)
    for name in args.models.split(","):
        for batch_size in (int(b) for b in args.batch_sizes.split(",")):
            bench(name, batch_size, x, y, args.warmup_batches, args.seed)


if __name__ == "__main__":
    main()
