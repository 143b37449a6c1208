#!/usr/bin/python3
"""scikit-image side of the recon benchmarks (voxel4j's side: org.voxel4j.recon.bench.ReconBench).

Workloads (medians in milliseconds, printed as one JSON object):
  fbp-256-180   skimage.transform.iradon of the analytic modified Shepp-Logan sinogram of a 256^2
                image, 180 views over 180 degrees, 363 detectors, filter 'ramp' (= ram-lak),
                circle=False, output_size=256; RMSE against the phantom sampled at the centres of
                skimage's pixels (its rotation centre is pixel (128, 128); voxel4j's is the image
                centre (127.5, 127.5) -- both get the ground truth of their own grid, the
                sinogram is identical: detector k at s = k - 181 in both).
  radon-256-180 skimage.transform.radon of the 256^2 phantom, same angles, circle=False
                (363 detectors).
  ssim3d-256    skimage.metrics.structural_similarity(a, b, win_size=7, data_range=4024) of two
                256^3 float64 volumes already clipped to [-1024, 3000] and shifted by +1024 (the
                SynthRAD2023 SSIM without mask).

--inputs DIR reads fbp_sinogram.npy, ssim_a.npy and ssim_b.npy written by ReconBench --inputs DIR
(the same data as the Java run); without it the sinogram is computed here in closed form and the
ssim3d workload is skipped (its volumes come from Java's seeded RNG).
Run with the system Python: /usr/bin/python3 benchmarks/compare/recon_skimage.py --inputs DIR
(recon_compare.py runs both sides in one go).
"""
import argparse
import json
import os
import time

import numpy as np
from skimage.metrics import structural_similarity
from skimage.transform import iradon, radon

N, VIEWS, DETS = 256, 180, 363
SHEPP_LOGAN = [
    (1.0, .69, .92, 0, 0, 0), (-.8, .6624, .874, 0, -.0184, 0), (-.2, .11, .31, .22, 0, -18),
    (-.2, .16, .41, -.22, 0, 18), (.1, .21, .25, 0, .35, 0), (.1, .046, .046, 0, .1, 0),
    (.1, .046, .046, 0, -.1, 0), (.1, .046, .023, -.08, -.605, 0), (.1, .023, .023, 0, -.606, 0),
    (.1, .023, .046, .06, -.605, 0)]


def phantom(n, centre):
    s = n / 2.0
    r, c = np.mgrid[:n, :n].astype(float)
    x, y = c - centre, centre - r
    img = np.zeros((n, n))
    for A, a, b, x0, y0, phi in SHEPP_LOGAN:
        p = np.deg2rad(phi)
        dx, dy = x - x0 * s, y - y0 * s
        u = (np.cos(p) * dx + np.sin(p) * dy) / (a * s)
        v = (-np.sin(p) * dx + np.cos(p) * dy) / (b * s)
        img[u * u + v * v <= 1] += A
    return img


def sinogram(theta):
    s_scale = N / 2.0
    th = np.deg2rad(theta)[:, None]
    s = (np.arange(DETS) - DETS // 2)[None, :].astype(float)
    out = np.zeros((len(theta), DETS))
    for A, a, b, x0, y0, phi in SHEPP_LOGAN:
        a, b, x0, y0 = a * s_scale, b * s_scale, x0 * s_scale, y0 * s_scale
        t = th - np.deg2rad(phi)
        alpha2 = a * a * np.cos(t) ** 2 + b * b * np.sin(t) ** 2
        sp = s - (x0 * np.cos(th) + y0 * np.sin(th))
        inside = alpha2 - sp * sp
        out += np.where(inside > 0, 2 * A * a * b * np.sqrt(np.maximum(inside, 0)) / alpha2, 0)
    return out


def median_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        t.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", default=None)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workload", default="all")
    args = ap.parse_args()
    out = {}
    theta = np.arange(VIEWS) * 180.0 / VIEWS
    if args.workload in ("all", "fbp-256-180"):
        path = args.inputs and os.path.join(args.inputs, "fbp_sinogram.npy")
        sino = np.load(path) if path and os.path.exists(path) else sinogram(theta)
        truth = phantom(N, N // 2)
        rec = {}

        def run():
            rec["img"] = iradon(sino.T, theta=theta, output_size=N, filter_name="ramp", circle=False)

        ms = median_ms(run, args.repeats)
        out["fbp-256-180"] = {"median_ms": ms,
                              "rmse": float(np.sqrt(np.mean((rec["img"] - truth) ** 2)))}
        mine = args.inputs and os.path.join(args.inputs, "fbp_voxel4j_skimage_grid.npy")
        if mine and os.path.exists(mine):
            # voxel4j's reconstruction of the same sinogram on skimage's grid
            out["fbp-256-180"]["max_abs_diff_vs_voxel4j"] = float(np.max(np.abs(np.load(mine) - rec["img"])))
    if args.workload in ("all", "radon-256-180"):
        img = phantom(N, N // 2)
        out["radon-256-180"] = {"median_ms": median_ms(
            lambda: radon(img, theta=theta, circle=False), args.repeats)}
    if args.workload in ("all", "ssim3d-256") and args.inputs:
        pa = os.path.join(args.inputs, "ssim_a.npy")
        if os.path.exists(pa):
            a = np.clip(np.load(pa).astype(np.float64), -1024, 3000) + 1024
            b = np.clip(np.load(os.path.join(args.inputs, "ssim_b.npy")).astype(np.float64),
                        -1024, 3000) + 1024
            val = {}

            def run3():
                val["ssim"] = structural_similarity(a, b, win_size=7, data_range=4024)

            ms = median_ms(run3, max(1, args.repeats // 2), warmup=0)
            out["ssim3d-256"] = {"median_ms": ms, "ssim": float(val["ssim"])}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
