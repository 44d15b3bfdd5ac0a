#!/usr/bin/env python3
"""Generate small OpenCV RTrees YAML fixtures and OpenCV's own predictions.

Run with Debian's python3-opencv (OpenCV 4.6, the version NIST's reference
build used):

    apt-get install -y python3-opencv
    cd finger/internal/forest/testdata/opencv && /usr/bin/python3 gen_fixtures.py

For each forest it writes <name>.yaml (RTrees::write under the key
my_random_trees, as NIST's model file is laid out) and <name>.csv with one
row per test input: the float32 inputs x0..x{n-1}, OpenCV's
predict(..., RAW_OUTPUT) ("raw"), predict() without flags ("cls") and, for
two-class forests with labels 0/1, the NFIQ 2 v2.3 score computed from raw
in float32 as RandomForestML.cpp does ("nfiq2", else -1). Inputs include
random rows, rows whose value equals a split threshold exactly (to check
"<=" goes left), rows holding FLT_MAX (OpenCV's missing-value marker) and
NaN. All data are synthetic; nothing is derived from NIST's files.
"""
import csv
import cv2
import numpy as np

FLT_MAX = np.finfo(np.float32).max


def thresholds(path):
    fs = cv2.FileStorage(path, cv2.FILE_STORAGE_READ)
    trees = fs.getNode("my_random_trees").getNode("trees")
    out = []
    for k in range(trees.size()):
        nodes = trees.at(k).getNode("nodes")
        for i in range(nodes.size()):
            sp = nodes.at(i).getNode("splits")
            if sp.empty():
                continue
            s = sp.at(0)
            out.append((int(s.getNode("var").real()), np.float32(s.getNode("le").real())))
    fs.release()
    return out


def make(name, nvars, labels, ntrees, depth, minsamples, nsamples, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(nsamples, nvars)).astype(np.float32)
    # a few heavy-tailed and integer-valued columns, like NFIQ 2 measures
    X[:, 0] = np.round(X[:, 0] * 10 + 30)
    w = rng.normal(size=nvars)
    s = X @ w + rng.normal(size=nsamples)
    if len(labels) == 2:
        y = np.where(s > np.median(s), labels[1], labels[0])
    else:
        q = np.quantile(s, np.linspace(0, 1, len(labels) + 1)[1:-1])
        y = np.array([labels[int(np.searchsorted(q, v))] for v in s])
    y = y.astype(np.int32)
    rt = cv2.ml.RTrees_create()
    rt.setMaxDepth(depth)
    rt.setMinSampleCount(minsamples)
    rt.setActiveVarCount(0)
    rt.setTermCriteria((cv2.TERM_CRITERIA_MAX_ITER, ntrees, 0))
    rt.train(X, cv2.ml.ROW_SAMPLE, y)
    fs = cv2.FileStorage(name + ".yaml", cv2.FILE_STORAGE_WRITE)
    rt.write(fs, "my_random_trees")
    fs.release()

    tests = [rng.normal(size=nvars).astype(np.float32) for _ in range(25)]
    thr = thresholds(name + ".yaml")
    for j in rng.choice(len(thr), size=min(25, len(thr)), replace=False):
        v, c = thr[j]
        x = X[rng.integers(nsamples)].copy()
        x[v] = c
        tests.append(x)
        # just above the threshold goes right
        x = x.copy()
        x[v] = np.nextafter(c, np.float32(np.inf), dtype=np.float32)
        tests.append(x)
    for j in range(3):
        x = X[rng.integers(nsamples)].copy()
        x[thr[j][0]] = FLT_MAX
        tests.append(x)
    x = X[rng.integers(nsamples)].copy()
    x[thr[0][0]] = np.float32(np.nan)
    tests.append(x)
    T = np.array(tests, dtype=np.float32)
    _, raw = rt.predict(T, flags=cv2.ml.STAT_MODEL_RAW_OUTPUT)
    _, cls = rt.predict(T)
    n = np.float32(len(rt.getRoots())) if hasattr(rt, "getRoots") else np.float32(ntrees)
    with open(name + ".csv", "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["x%d" % i for i in range(nvars)] + ["raw", "cls", "nfiq2"])
        for x, r, c in zip(T, raw[:, 0], cls[:, 0]):
            score = -1
            if list(labels) == [0, 1]:
                scaled = np.float32(np.float32(np.float32(r) / n) * np.float32(100))
                score = int(np.floor(np.float64(scaled) + 0.5))
            wr.writerow([repr(float(v)) for v in x]
                        + [repr(float(r)), repr(float(c)), score])


make("small", nvars=5, labels=[0, 1], ntrees=9, depth=4, minsamples=5, nsamples=200, seed=1)
make("labels37", nvars=4, labels=[3, 7], ntrees=5, depth=3, minsamples=5, nsamples=150, seed=2)
make("threeclass", nvars=4, labels=[0, 1, 2], ntrees=7, depth=4, minsamples=5, nsamples=200, seed=3)
make("nfiq69", nvars=69, labels=[0, 1], ntrees=11, depth=5, minsamples=20, nsamples=400, seed=4)
