#!/usr/bin/python3
"""voxel4j against scikit-image on the recon workloads, side by side in one run.

For each workload (fbp-256-180, ssim3d-256) this runs

  1. `voxel4j bench --workload W --json --inputs DIR` (the Java implementation; it also writes the
     workload's inputs as .npy into DIR), then
  2. `recon_skimage.py --inputs DIR --workload W` (scikit-image on exactly the same data),

and prints one JSON object with both medians, the speed-up and the quality numbers:
  fbp-256-180: RMSE against the phantom on scikit-image's pixel grid for both (like for like:
               skimage's rotation axis is pixel (128, 128)), plus voxel4j's RMSE on its own grid
               and the largest difference between the two reconstructions;
  ssim3d-256:  both SSIM values and their absolute difference.

Both processes get the same malloc settings (those the voxel4j launcher uses). scikit-image's
iradon and structural_similarity are single-threaded NumPy code; voxel4j uses all cores (report
printed as "threads").

Usage (from the repository root, system Python with numpy and scikit-image):
  /usr/bin/python3 benchmarks/compare/recon_compare.py [--runs 30] [--workload fbp-256-180]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = ["fbp-256-180", "ssim3d-256"]
ENV = dict(os.environ,
           MALLOC_MMAP_MAX_=os.environ.get("MALLOC_MMAP_MAX_", "0"),
           MALLOC_TRIM_THRESHOLD_=os.environ.get("MALLOC_TRIM_THRESHOLD_", "68719476736"),
           MALLOC_TOP_PAD_=os.environ.get("MALLOC_TOP_PAD_", "268435456"))


def run_json(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit("failed: " + " ".join(cmd))
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voxel4j", default=os.path.join(ROOT, "voxel4j"))
    ap.add_argument("--runs", type=int, default=30)
    # the JIT compiles the back-projection kernels during the first runs: with 3 warm-up runs the
    # fbp median was 31 ms, with 20 it was 15.5 ms (same machine, same minute); C2 reaches steady
    # state after a few hundred calls (20 warm-up: 6.5 ms, 300: 6.0 ms, 50 runs each, quiet machine)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--workload", choices=WORKLOADS + ["all"], default="all")
    args = ap.parse_args()
    names = WORKLOADS if args.workload == "all" else [args.workload]
    out = {"threads": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        for w in names:
            runs = args.runs if w == "fbp-256-180" else max(3, args.runs // 2)
            j = run_json([args.voxel4j, "bench", "--workload", w, "--json", "--inputs", tmp,
                          "--runs", str(runs),
                          "--warmup", str(args.warmup if w == "fbp-256-180" else 2)])
            s = run_json([sys.executable, os.path.join(HERE, "recon_skimage.py"), "--inputs", tmp,
                          "--workload", w, "--repeats", str(runs)])[w]
            m = j.get("metrics", {})
            r = {"voxel4j_ms": j["median_ms"], "skimage_ms": s["median_ms"],
                 "speedup": s["median_ms"] / j["median_ms"]}
            if w == "fbp-256-180":
                r["voxel4j_rmse_skimage_grid"] = m.get("rmse_on_skimage_grid")
                r["skimage_rmse"] = s["rmse"]
                r["voxel4j_rmse_own_grid"] = m.get("rmse")
                r["max_abs_diff_reconstructions"] = s.get("max_abs_diff_vs_voxel4j")
            else:
                r["voxel4j_ssim"] = m.get("ssim")
                r["skimage_ssim"] = s["ssim"]
                r["ssim_abs_diff"] = abs(m.get("ssim") - s["ssim"])
            out[w] = r
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
