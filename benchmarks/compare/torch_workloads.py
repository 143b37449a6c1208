#!/usr/bin/python3
"""PyTorch twins of voxel4j's benchmark workloads (org.voxel4j.bench.*).

Each workload is defined exactly as its Java counterpart; the script prints one JSON object per
workload: {"workload", "median_ms", "runs", "peak_rss_mb"}.

  conv3d-fb-64   nn.Conv3d(32, 32, 3, padding=1) (with bias) on a float32 input 1x32x64^3,
                 forward + backward of y.sum() w.r.t. input, weight and bias.
  unet3d-step-64 one training step of the 3D U-Net [16, 32, 64, 128] (two conv3-IN-LeakyReLU per
                 level, max-pool 2, transposed conv k2 s2, concatenated skips, 1x1x1 head to 2
                 classes) on 1x1x64^3: softmax cross-entropy + soft Dice, backward, Adam lr 1e-3.
  sliding-window-256 inference (no_grad) of that U-Net over a 1x256^3 float32 volume with 96^3
                 windows, overlap 0.5 (MONAI window placement), Gaussian importance map
                 (MONAI compute_importance_map, sigma = 0.125 * patch), one window per batch,
                 blended into a float32 [2, 256, 256, 256] output.

Run with Debian's Python (python3-torch): /usr/bin/python3 torch_workloads.py --workload NAME
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3d_fb_64():
    torch.manual_seed(1)
    conv = nn.Conv3d(32, 32, 3, padding=1)
    x = torch.rand(1, 32, 64, 64, 64, requires_grad=True)

    def step():
        x.grad = None
        conv.zero_grad(set_to_none=True)
        conv(x).sum().backward()

    return step


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv3d(cin, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.LeakyReLU(0.01),
        nn.Conv3d(cout, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.LeakyReLU(0.01))


class UNet3d(nn.Module):
    def __init__(self, channels=(16, 32, 64, 128), cin=1, classes=2):
        super().__init__()
        self.down = nn.ModuleList()
        c = cin
        for ch in channels:
            self.down.append(double_conv(c, ch))
            c = ch
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for ch in reversed(channels[:-1]):
            self.up.append(nn.ConvTranspose3d(c, ch, 2, stride=2))
            self.dec.append(double_conv(2 * ch, ch))
            c = ch
        self.head = nn.Conv3d(c, classes, 1)

    def forward(self, x):
        skips = []
        for i, blk in enumerate(self.down):
            x = blk(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = F.max_pool3d(x, 2)
        for up, dec in zip(self.up, self.dec):
            x = up(x)
            x = dec(torch.cat([x, skips.pop()], dim=1))
        return self.head(x)


def unet3d_step_64():
    torch.manual_seed(1)
    net = UNet3d()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(1, 1, 64, 64, 64)
    y = (torch.rand(1, 64, 64, 64) > 0.5).long()
    onehot = F.one_hot(y, 2).permute(0, 4, 1, 2, 3).float()

    def step():
        opt.zero_grad(set_to_none=True)
        logits = net(x)
        ce = F.cross_entropy(logits, y)
        p = logits.softmax(1)
        inter = (p * onehot).sum(dim=(2, 3, 4))
        denom = p.sum(dim=(2, 3, 4)) + onehot.sum(dim=(2, 3, 4))
        dice = 1 - ((2 * inter + 1e-5) / (denom + 1e-5)).mean()
        (ce + dice).backward()
        opt.step()

    return step


def starts(size, patch, overlap):
    if size <= patch:
        return [0]
    interval = max(1, int(patch * (1 - overlap)))
    out, d = [], 0
    while True:
        out.append(min(d * interval, size - patch))
        if d * interval + patch >= size:
            return out
        d += 1


def gaussian_map(p, sigma_scale=0.125):
    x = torch.arange(p, dtype=torch.float32) - (p - 1) / 2.0
    g = torch.exp(x * x / (-2 * (sigma_scale * p) ** 2))
    m = g[:, None, None] * g[None, :, None] * g[None, None, :]
    return m.clamp(min=max(m.min().item(), 1e-3))


def sliding_window_256():
    torch.manual_seed(2)
    net = UNet3d().eval()
    image = torch.rand(1, 1, 256, 256, 256)
    patch = 96
    w = gaussian_map(patch)
    pos = [(z, y, x) for z in starts(256, patch, 0.5) for y in starts(256, patch, 0.5)
           for x in starts(256, patch, 0.5)]

    def run():
        out = torch.zeros(2, 256, 256, 256)
        norm = torch.zeros(256, 256, 256)
        with torch.no_grad():
            for z, y, x in pos:
                pred = net(image[:, :, z:z + patch, y:y + patch, x:x + patch])[0]
                out[:, z:z + patch, y:y + patch, x:x + patch] += pred * w
                norm[z:z + patch, y:y + patch, x:x + patch] += w
        return out / norm

    return run


WORKLOADS = {"conv3d-fb-64": conv3d_fb_64, "unet3d-step-64": unet3d_step_64,
             "sliding-window-256": sliding_window_256}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    step = WORKLOADS[a.workload]()
    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"workload": a.workload, "median_ms": statistics.median(times), "runs": a.runs,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
