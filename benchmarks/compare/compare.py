#!/usr/bin/python3
"""Side-by-side harness: voxel4j vs PyTorch on the same machine, in one run.

For every workload it runs `./voxel4j bench --workload W --json` and the PyTorch twin
(torch_workloads.py), alternating the two several times so that machine noise hits both, with the
same thread count and the same malloc tuning for both processes. Prints a table with the ratio
voxel4j / PyTorch of the medians (< 1 means voxel4j is faster) and, with --json, one JSON object.

Usage (from the repository root, Debian's python3-torch installed):
  /usr/bin/python3 benchmarks/compare/compare.py [--workloads conv3d-fb-64,unet3d-step-64]
                                                  [--rounds 3] [--runs 10] [--json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TORCH_WORKLOADS = ["conv3d-fb-64", "unet3d-step-64", "sliding-window-256"]
ENV = dict(os.environ,
           MALLOC_MMAP_MAX_="0", MALLOC_TRIM_THRESHOLD_="68719476736", MALLOC_TOP_PAD_="268435456",
           OMP_NUM_THREADS="2")


def run_json(cmd):
    p = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", default=",".join(TORCH_WORKLOADS))
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds per workload")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = []
    for w in a.workloads.split(","):
        j_med, t_med, j_rss, t_rss = [], [], [], []
        for _ in range(a.rounds):
            j = run_json([os.path.join(ROOT, "voxel4j"), "bench", "--workload", w, "--json",
                          "--runs", str(a.runs), "--warmup", str(a.warmup)])
            t = run_json(["/usr/bin/python3", os.path.join(HERE, "torch_workloads.py"),
                          "--workload", w, "--runs", str(a.runs), "--warmup", str(a.warmup),
                          "--threads", "2"])
            j_med.append(j["median_ms"]); t_med.append(t["median_ms"])
            j_rss.append(j["peak_rss_mb"]); t_rss.append(t["peak_rss_mb"])
        jm, tm = statistics.median(j_med), statistics.median(t_med)
        rows.append({"workload": w, "voxel4j_ms": jm, "pytorch_ms": tm, "ratio": jm / tm,
                     "voxel4j_peak_rss_mb": max(j_rss), "pytorch_peak_rss_mb": max(t_rss),
                     "rounds": a.rounds, "voxel4j_round_medians": j_med, "pytorch_round_medians": t_med})
    if a.json:
        print(json.dumps({"results": rows}, indent=2))
        return
    print("%-18s %12s %12s %8s %10s %10s" % ("workload", "voxel4j ms", "pytorch ms", "ratio", "v4j RSS", "pt RSS"))
    for r in rows:
        print("%-18s %12.1f %12.1f %8.2f %10d %10d" % (r["workload"], r["voxel4j_ms"], r["pytorch_ms"],
                                                      r["ratio"], r["voxel4j_peak_rss_mb"], r["pytorch_peak_rss_mb"]))


if __name__ == "__main__":
    main()
