#!/usr/bin/env python3
"""Reference warps of Keras's ImageDataGenerator, for cnn4j's Augmenter test (KerasWarpsTest).

Reproduces, with SciPy itself, the warp of /work/shared/KERAS-SEMANTICS.md A1:

  M  = R(theta) . S(tx, ty) . Z(zx, zy)       (3x3 homogeneous, theta in radians)
  M' = T(+o) . M . T(-o)                       (np.dot, as Keras's transform_matrix_offset_center)
  out = scipy.ndimage.affine_transform(img, M'[:2, :2], offset=M'[:2, 2],
                                       order=order, mode='nearest', cval=0.0)

in three conventions:
  keras2017  o = size/2 + 0.5, matrix used as (row, col). Keras 2.0.x (order 0, hard-coded; the
             2017 Kaggle kernel) and keras-preprocessing <= 1.1.2 (order 1).
  correct    o = size/2 - 0.5, no axis swap (keras-preprocessing master between 33d9d59 and 0edcff0).
  keras3     o = size/2 - 0.5 and M built in (x, y) = (col, row), then permuted M' = P M P
             (Keras 2.9+ and Keras 3 keras/src/legacy/preprocessing/image.py).
Each for order 0 (nearest) and order 1 (bilinear). The image is float32, as Keras's
NumpyArrayIterator casts it to K.floatx() before random_transform; SciPy computes in double and
writes float32.

Output: a text file, one record per line:
  # comment (versions)
  image NAME H W v0 v1 ...            float32 values, shortest round-trip repr
  case NAME IMAGE ORDER CONVENTION THETA_DEG TX TY ZX ZY v0 v1 ...

Usage:
  keras_warps.py OUT [--mnist DIR]           digits from the MNIST idx files in DIR
  keras_warps.py OUT --images-from FILE      the images of an earlier reference file (no MNIST needed)
"""
import argparse
import os
import platform
import sys

import numpy as np
import scipy
from scipy import ndimage

CONVENTIONS = ("keras2017", "correct", "keras3")

# (name, theta in degrees, tx, ty, zx, zy): kernel-range draws and edge cases.
KERNEL_PARAMS = [
    ("typical", 7.5, 1.3, -0.8, 1.07, 0.93),
    ("extreme-a", -10.0, 2.8, -2.8, 0.9, 1.1),
    ("extreme-b", 10.0, -2.8, 2.8, 1.1, 0.9),
]
EDGE_PARAMS = KERNEL_PARAMS + [
    ("identity", 0.0, 0.0, 0.0, 1.0, 1.0),
    ("shift-int", 0.0, 2.0, -3.0, 1.0, 1.0),
    # every sample point lands on an exact .5: SciPy's order-0 tie (floor(x + 0.5))
    ("shift-half", 0.0, 0.5, -1.5, 1.0, 1.0),
    ("zoom-only", 0.0, 0.0, 0.0, 1.1, 0.9),
    ("rotate-only", 4.2, 0.0, 0.0, 1.0, 1.0),
    ("rotate-90", 90.0, 0.0, 0.0, 1.0, 1.0),
    # far outside: every pixel replicates an edge (mode='nearest')
    ("far-shift", 0.0, 40.0, -35.0, 1.0, 1.0),
    ("big", -33.0, -2.2, 1.7, 0.8, 1.25),
]
MNIST_DIGITS = [0, 2, 4]  # training images 0, 2, 4: a 5, a 4 and a 9


def f32(v):
    return np.format_float_positional(np.float32(v), unique=True, trim="-")


def matrix(theta_deg, tx, ty, zx, zy, h, w, convention):
    theta = np.pi / 180 * theta_deg  # Keras 2.0.8 converts at draw time; later versions use np.deg2rad
    if convention == "keras3":
        theta = np.deg2rad(theta_deg)
    rot = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    zoom = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    m = np.dot(np.dot(rot, shift), zoom)
    if convention == "keras3":
        # Keras 3 builds the matrix in (x, y) = (col, row), swaps its rows and columns back to
        # (row, col), then centres it on (h/2 - 0.5, w/2 - 0.5), in this order
        m[:, [0, 1]] = m[:, [1, 0]]
        m[[0, 1]] = m[[1, 0]]
        o_x, o_y = float(h) / 2 - 0.5, float(w) / 2 - 0.5
        offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
        reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
        return np.dot(np.dot(offset, m), reset)
    delta = 0.5 if convention == "keras2017" else -0.5
    o_x, o_y = float(h) / 2 + delta, float(w) / 2 + delta
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset, m), reset)


def warp(img, params, order, convention):
    _, theta, tx, ty, zx, zy = params
    h, w = img.shape
    m = matrix(theta, tx, ty, zx, zy, h, w, convention)
    return ndimage.affine_transform(img, m[:2, :2], offset=m[:2, 2], order=order, mode="nearest", cval=0.0)


def mnist_images(directory):
    with open(os.path.join(directory, "train-images-idx3-ubyte"), "rb") as f:
        data = f.read()
    assert int.from_bytes(data[0:4], "big") == 2051, "not an idx3 image file"
    rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
    out = {}
    for i in MNIST_DIGITS:
        start = 16 + i * rows * cols
        pixels = np.frombuffer(data[start:start + rows * cols], dtype=np.uint8).reshape(rows, cols)
        out["mnist-train-%d" % i] = pixels.astype(np.float32) / np.float32(255)
    return out


def synthetic_images():
    r, c = np.mgrid[0:7, 0:9]
    ramp = (((r * 9 + c) * 37 % 64) / 63.0).astype(np.float32)  # the same as KerasGoldenTest's
    r, c = np.mgrid[0:12, 0:10]
    gradient = ((r * 10 + c) / 119.0).astype(np.float32)  # non-zero borders: edge replication shows
    dot = np.zeros((9, 9), dtype=np.float32)
    dot[2, 6] = 1
    return {"ramp-7x9": ramp, "gradient-12x10": gradient, "dot-9x9": dot}


def read_images(path):
    out = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "image":
                h, w = int(parts[2]), int(parts[3])
                out[parts[1]] = np.array([np.float32(v) for v in parts[4:]], dtype=np.float32).reshape(h, w)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mnist", default=os.path.expanduser("~/.cache/cnn4j/mnist"))
    ap.add_argument("--images-from")
    args = ap.parse_args()
    if args.images_from:
        images = read_images(args.images_from)
    else:
        images = dict(mnist_images(args.mnist))
        images.update(synthetic_images())
    lines = ["# Keras ImageDataGenerator warps made by cnn-mnist/src/test/python/keras_warps.py",
             "# scipy %s, numpy %s, python %s (%s)" % (scipy.__version__, np.__version__,
                                                     platform.python_version(), sys.executable)]
    for name, img in images.items():
        lines.append("image %s %d %d %s" % (name, img.shape[0], img.shape[1], " ".join(f32(v) for v in img.ravel())))
    for name, img in images.items():
        params = KERNEL_PARAMS if name.startswith("mnist") else EDGE_PARAMS
        for p in params:
            for convention in CONVENTIONS:
                for order in (0, 1):
                    out = warp(img, p, order, convention)
                    assert out.dtype == np.float32
                    lines.append("case %s %s %d %s %r %r %r %r %r %s" % (
                        p[0], name, order, convention, p[1], p[2], p[3], p[4], p[5],
                        " ".join(f32(v) for v in out.ravel())))
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
