package org.voxel4j.recon.fbp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;

/**
 * Pixel-driven parallel-beam back-projection with linear interpolation along the detector (zero
 * outside it, like {@code np.interp(left=0, right=0)}), for {@link Fbp}.
 *
 * <p><b>Symmetric fast path.</b> On a square grid centred on the rotation axis, the detector
 * coordinate {@code s = x cos θ + y sin θ} of pixel {@code (x, y)} in view θ equals that of pixel
 * {@code (−x, y)} in view π − θ, of {@code (−y, x)} in view θ + π/2 and of {@code (y, x)} in view
 * π/2 − θ. Views whose three partners are in the scan (a uniform 180° or 360° scan with a multiple
 * of 4 views: all but a handful) form orbits of four: one detector position (integer index and
 * fraction) then serves four updates, and four orbits are processed per pass so that each image
 * element is read and written once per 16 views. The filtered projections of an orbit are
 * interleaved ({@code q, Δq} of the four views next to each other) so one cache line serves the
 * four updates. The updates of the {@code (−y, x)} and {@code (y, x)} partners run along image
 * columns; they go to a transposed accumulator that is added at the end, so every stream is
 * sequential. Tasks own the row pairs {@code (r, N−1−r)}, the only rows of both arrays they write.
 * Measured (thread CPU time, 256², 180 views): 7.3 ms against 18.9 ms for the one-view-at-a-time
 * loop, the same results to 1e-10 relative (partners use the orbit base's positions; their angles
 * match to 1e-12 rad).
 *
 * <p>Other views, and grids without the symmetry, take the general path: one view at a time, 24.40
 * fixed-point positions, interpolation from (value, slope) pairs.
 */
final class ParallelBackprojection {
    private static final double FIXED = 0x1p40;
    private static final double INV_FIXED = 0x1p-40;
    private static final long FRACTION = (1L << 40) - 1;
    private static final double ANGLE_TOLERANCE = 1e-12;

    private ParallelBackprojection() {}

    /** {@code img += } the back-projection of the weighted, filtered sinogram {@code q}. */
    static void run(ParallelBeam2d p, ImageGrid2d grid, double[] q, double[] img) {
        int views = p.views();
        int dets = p.detectors();
        int rows = grid.rows();
        int cols = grid.cols();
        double[] a = new double[views];
        double[] b = new double[views];
        double[] cy = new double[views];
        for (int v = 0; v < views; v++) {
            double c = Math.cos(p.angle(v));
            double s = Math.sin(p.angle(v));
            // detector index j(x, y) = (x cos + y sin - offset) / spacing + (n-1)/2, linear in col
            b[v] = c * grid.pixelSize() / p.detectorSpacing();
            a[v] = (grid.x(0) * c - p.detectorOffset()) / p.detectorSpacing() + 0.5 * (dets - 1);
            cy[v] = s / p.detectorSpacing();
        }
        // (value, slope to the next sample) pairs, shifted by one with a zero sample on each side:
        // one cache line serves both interpolation taps, and a fixed-point position that rounds
        // a hair outside [0, last] still interpolates continuously instead of leaving the array
        int stride = 2 * (dets + 2);
        double y0 = grid.y(0);
        double dy = -grid.pixelSize();
        boolean symmetricGrid =
                rows == cols && grid.centerX() == 0 && grid.centerY() == 0 && rows > 1;
        int[][] orbits = symmetricGrid ? orbits(p.angles()) : new int[0][];
        if (orbits.length == 0) {
            double[] qi = new double[views * stride];
            for (int v = 0; v < views; v++) {
                pairs(q, v, dets, qi, v * stride, 2);
            }
            Parallel.forRange(
                    rows,
                    (from, to) -> {
                        for (int r = from; r < to; r++) {
                            for (int v = 0; v < views; v++) {
                                single(r, y0, dy, cols, v, dets, stride, a, b, cy, qi, img);
                            }
                        }
                    });
            return;
        }
        // orbit-interleaved projections: for orbit o and detector sample k, the (q, Δq) pairs of
        // its four views at qs[o·4·stride + 8k .. +8)
        int n = rows;
        double[] qs = new double[orbits.length * 4 * stride];
        boolean[] inOrbit = new boolean[views];
        for (int o = 0; o < orbits.length; o++) {
            for (int m = 0; m < 4; m++) {
                inOrbit[orbits[o][m]] = true;
                pairs(q, orbits[o][m], dets, qs, o * 4 * stride + 2 * m, 8);
            }
        }
        double[] qi = new double[views * stride];
        for (int v = 0; v < views; v++) {
            if (!inOrbit[v]) {
                pairs(q, v, dets, qi, v * stride, 2);
            }
        }
        int[] rest = new int[views - 4 * orbits.length];
        for (int v = 0, i = 0; v < views; v++) {
            if (!inOrbit[v]) {
                rest[i++] = v;
            }
        }
        double[] t = new double[n * n];
        int pairs = (n + 1) / 2;
        Parallel.forRange(
                pairs,
                (from, to) -> {
                    int[] lo = new int[4];
                    int[] hi = new int[4];
                    for (int pr = from; pr < to; pr++) {
                        symmetricRow(
                                pr, y0, dy, n, dets, stride, a, b, cy, orbits, qs, lo, hi, img, t);
                        for (int v : rest) {
                            single(pr, y0, dy, n, v, dets, stride, a, b, cy, qi, img);
                        }
                        int mirror = n - 1 - pr;
                        if (mirror != pr) {
                            symmetricRow(
                                    mirror, y0, dy, n, dets, stride, a, b, cy, orbits, qs, lo, hi,
                                    img, t);
                            for (int v : rest) {
                                single(mirror, y0, dy, n, v, dets, stride, a, b, cy, qi, img);
                            }
                        }
                    }
                });
        // img += Tᵀ in 32×32 tiles (column reads of T would miss the cache on every element)
        int tiles = (n + 31) / 32;
        Parallel.forRange(
                tiles,
                (from, to) -> {
                    for (int tr = from; tr < to; tr++) {
                        int r1 = Math.min(n, 32 * tr + 32);
                        for (int c0 = 0; c0 < n; c0 += 32) {
                            int c1 = Math.min(n, c0 + 32);
                            for (int r = 32 * tr; r < r1; r++) {
                                for (int c = c0; c < c1; c++) {
                                    img[r * n + c] += t[c * n + r];
                                }
                            }
                        }
                    }
                });
    }

    /**
     * Writes the (value, slope to the next sample) pairs of view {@code v}, with a zero sample
     * before the first and after the last detector, to {@code out[at + k·step], out[at + k·step +
     * 1]} for k = 0..dets+1.
     */
    private static void pairs(double[] q, int v, int dets, double[] out, int at, int step) {
        int base = v * dets;
        for (int i = -1; i <= dets; i++) {
            double cur = i >= 0 && i < dets ? q[base + i] : 0.0;
            double next = i + 1 < dets ? q[base + i + 1] : 0.0;
            int k = at + (i + 1) * step;
            out[k] = cur;
            out[k + 1] = next - cur;
        }
    }

    /**
     * Groups views into orbits {@code (θ, π − θ, θ + π/2, π/2 − θ)} (angles mod 2π, matched to
     * {@link #ANGLE_TOLERANCE}); views without all three distinct partners are left out.
     */
    static int[][] orbits(double[] angles) {
        int views = angles.length;
        double twoPi = 2 * Math.PI;
        Map<Long, List<Integer>> byKey = new HashMap<>();
        double[] norm = new double[views];
        for (int v = 0; v < views; v++) {
            norm[v] = mod(angles[v], twoPi);
            byKey.computeIfAbsent(key(norm[v]), k -> new ArrayList<>()).add(v);
        }
        boolean[] used = new boolean[views];
        List<int[]> out = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            if (used[v]) {
                continue;
            }
            double th = norm[v];
            int p1 = find(byKey, norm, used, mod(Math.PI - th, twoPi), v, -1, -1);
            int p2 = p1 < 0 ? -1 : find(byKey, norm, used, mod(th + Math.PI / 2, twoPi), v, p1, -1);
            int p3 = p2 < 0 ? -1 : find(byKey, norm, used, mod(Math.PI / 2 - th, twoPi), v, p1, p2);
            if (p3 >= 0) {
                used[v] = true;
                used[p1] = true;
                used[p2] = true;
                used[p3] = true;
                out.add(new int[] {v, p1, p2, p3});
            }
        }
        return out.toArray(new int[0][]);
    }

    private static int find(
            Map<Long, List<Integer>> byKey,
            double[] norm,
            boolean[] used,
            double target,
            int x,
            int y,
            int z) {
        long k = key(target);
        for (long kk = k - 1; kk <= k + 1; kk++) {
            List<Integer> l = byKey.get(kk);
            if (l == null) {
                continue;
            }
            for (int v : l) {
                double d = Math.abs(norm[v] - target);
                d = Math.min(d, 2 * Math.PI - d);
                if (!used[v] && v != x && v != y && v != z && d <= ANGLE_TOLERANCE) {
                    return v;
                }
            }
        }
        return -1;
    }

    private static long key(double angle) {
        return Math.round(angle * 1e9);
    }

    private static double mod(double a, double m) {
        double r = a % m;
        return r < 0 ? r + m : r;
    }

    /** Orbits' contributions of image row {@code r}, four orbits per pass where possible. */
    private static void symmetricRow(
            int r,
            double y0,
            double dy,
            int n,
            int dets,
            int stride,
            double[] a,
            double[] b,
            double[] cy,
            int[][] orbits,
            double[] qs,
            int[] lo,
            int[] hi,
            double[] img,
            double[] t) {
        double y = y0 + r * dy;
        double last = dets - 1;
        int o = 0;
        for (; o + 3 < orbits.length; o += 4) {
            int from = 0;
            int to = n - 1;
            for (int g = 0; g < 4; g++) {
                int v = orbits[o + g][0];
                long range = range(a[v] + y * cy[v], b[v], n, last);
                lo[g] = (int) (range >> 32);
                hi[g] = (int) range;
                from = Math.max(from, lo[g]);
                to = Math.min(to, hi[g]);
            }
            if (from > to) {
                for (int g = 0; g < 4; g++) {
                    orbitSpan(r, y, n, stride, a, b, cy, orbits, qs, o + g, lo[g], hi[g], img, t);
                }
                continue;
            }
            for (int g = 0; g < 4; g++) {
                orbitSpan(r, y, n, stride, a, b, cy, orbits, qs, o + g, lo[g], from - 1, img, t);
                orbitSpan(r, y, n, stride, a, b, cy, orbits, qs, o + g, to + 1, hi[g], img, t);
            }
            int v0 = orbits[o][0];
            int v1 = orbits[o + 1][0];
            int v2 = orbits[o + 2][0];
            int v3 = orbits[o + 3][0];
            fused16(
                    img,
                    t,
                    r,
                    n,
                    from,
                    to + 1,
                    qs,
                    o * 4 * stride,
                    (o + 1) * 4 * stride,
                    (o + 2) * 4 * stride,
                    (o + 3) * 4 * stride,
                    position(a[v0] + y * cy[v0] + from * b[v0]),
                    position(a[v1] + y * cy[v1] + from * b[v1]),
                    position(a[v2] + y * cy[v2] + from * b[v2]),
                    position(a[v3] + y * cy[v3] + from * b[v3]),
                    (long) (b[v0] * FIXED),
                    (long) (b[v1] * FIXED),
                    (long) (b[v2] * FIXED),
                    (long) (b[v3] * FIXED));
        }
        for (; o < orbits.length; o++) {
            int v = orbits[o][0];
            long range = range(a[v] + y * cy[v], b[v], n, last);
            orbitSpan(
                    r,
                    y,
                    n,
                    stride,
                    a,
                    b,
                    cy,
                    orbits,
                    qs,
                    o,
                    (int) (range >> 32),
                    (int) range,
                    img,
                    t);
        }
    }

    /** One orbit over columns [from, to] (inclusive; nothing if empty). */
    private static void orbitSpan(
            int r,
            double y,
            int n,
            int stride,
            double[] a,
            double[] b,
            double[] cy,
            int[][] orbits,
            double[] qs,
            int o,
            int from,
            int to,
            double[] img,
            double[] t) {
        if (from > to) {
            return;
        }
        int v = orbits[o][0];
        fused4(
                img,
                t,
                r,
                n,
                from,
                to + 1,
                qs,
                o * 4 * stride,
                position(a[v] + y * cy[v] + from * b[v]),
                (long) (b[v] * FIXED));
    }

    /** 24.40 fixed point of detector index j, shifted by the leading zero sample. */
    private static long position(double j) {
        return (long) ((j + 1) * FIXED);
    }

    /**
     * Four orbits (16 views) over columns [from, end) of row r: targets (r, c), (r, n−1−c) in the
     * image and rows r, n−1−r (descending) of the transposed accumulator.
     */
    private static void fused16(
            double[] img,
            double[] t,
            int r,
            int n,
            int from,
            int end,
            double[] q,
            int qa,
            int qb,
            int qc,
            int qd,
            long ja,
            long jb,
            long jc,
            long jd,
            long sa,
            long sb,
            long sc,
            long sd) {
        int i0 = r * n;
        int i1 = r * n + n - 1;
        int i3 = (n - 1 - r) * n + n - 1;
        for (int c = from; c < end; c++, ja += sa, jb += sb, jc += sc, jd += sd) {
            int k = qa + 8 * (int) (ja >>> 40);
            int m = qb + 8 * (int) (jb >>> 40);
            int o = qc + 8 * (int) (jc >>> 40);
            int p = qd + 8 * (int) (jd >>> 40);
            double f = (ja & FRACTION) * INV_FIXED;
            double g = (jb & FRACTION) * INV_FIXED;
            double h = (jc & FRACTION) * INV_FIXED;
            double e = (jd & FRACTION) * INV_FIXED;
            img[i0 + c] +=
                    q[k]
                            + f * q[k + 1]
                            + q[m]
                            + g * q[m + 1]
                            + q[o]
                            + h * q[o + 1]
                            + q[p]
                            + e * q[p + 1];
            img[i1 - c] +=
                    q[k + 2]
                            + f * q[k + 3]
                            + q[m + 2]
                            + g * q[m + 3]
                            + q[o + 2]
                            + h * q[o + 3]
                            + q[p + 2]
                            + e * q[p + 3];
            t[i1 - c] +=
                    q[k + 4]
                            + f * q[k + 5]
                            + q[m + 4]
                            + g * q[m + 5]
                            + q[o + 4]
                            + h * q[o + 5]
                            + q[p + 4]
                            + e * q[p + 5];
            t[i3 - c] +=
                    q[k + 6]
                            + f * q[k + 7]
                            + q[m + 6]
                            + g * q[m + 7]
                            + q[o + 6]
                            + h * q[o + 7]
                            + q[p + 6]
                            + e * q[p + 7];
        }
    }

    /** One orbit (4 views) over columns [from, end) of row r. */
    private static void fused4(
            double[] img,
            double[] t,
            int r,
            int n,
            int from,
            int end,
            double[] q,
            int qa,
            long ja,
            long sa) {
        int i0 = r * n;
        int i1 = r * n + n - 1;
        int i3 = (n - 1 - r) * n + n - 1;
        for (int c = from; c < end; c++, ja += sa) {
            int k = qa + 8 * (int) (ja >>> 40);
            double f = (ja & FRACTION) * INV_FIXED;
            img[i0 + c] += q[k] + f * q[k + 1];
            img[i1 - c] += q[k + 2] + f * q[k + 3];
            t[i1 - c] += q[k + 4] + f * q[k + 5];
            t[i3 - c] += q[k + 6] + f * q[k + 7];
        }
    }

    /** View v's contribution to image row r (general path). */
    private static void single(
            int r,
            double y0,
            double dy,
            int cols,
            int v,
            int dets,
            int stride,
            double[] a,
            double[] b,
            double[] cy,
            double[] qi,
            double[] img) {
        double y = y0 + r * dy;
        double j0 = a[v] + y * cy[v];
        long range = range(j0, b[v], cols, dets - 1);
        int lo = (int) (range >> 32);
        int hi = (int) range;
        if (lo > hi) {
            return;
        }
        accumulate(
                img,
                r * cols + lo,
                r * cols + hi + 1,
                qi,
                v * stride,
                position(j0 + lo * b[v]),
                (long) (b[v] * FIXED));
    }

    /**
     * The columns [lo, hi] (packed as {@code lo << 32 | hi}) whose detector position {@code j0 +
     * c·dj} lies in [0, last]: candidate range from the exact solution, then one-step fixes for
     * rounding. No Math.ceil/floor: with them in this loop nest C2 compiled the inner loops ~2×
     * slower (measured, JDK 17).
     */
    private static long range(double j0, double dj, int cols, double last) {
        double t0 = -j0 / dj;
        double t1 = (last - j0) / dj;
        double tl = dj > 0 ? t0 : t1;
        double th = dj > 0 ? t1 : t0;
        if (dj == 0) {
            tl = inside(j0, last) ? 0 : cols;
            th = cols - 1;
        }
        int lo = tl <= 0 ? 0 : tl >= cols ? cols : (int) tl;
        int hi = th < 0 ? -1 : th >= cols - 1 ? cols - 1 : (int) th;
        if (lo <= hi && !inside(j0 + lo * dj, last)) {
            lo++;
        }
        if (hi >= lo && !inside(j0 + hi * dj, last)) {
            hi--;
        }
        if (hi + 1 < cols && hi + 1 >= lo && inside(j0 + (hi + 1) * dj, last)) {
            hi++;
        }
        return ((long) lo << 32) | (hi & 0xffffffffL);
    }

    /**
     * {@code img[from, end) += } linear interpolation of the (value, slope) pairs at the 24.40
     * fixed-point positions {@code jf, jf + step, ...}.
     */
    private static void accumulate(
            double[] img, int from, int end, double[] qi, int qb, long jf, long step) {
        for (int p = from; p < end; p++, jf += step) {
            int k = qb + 2 * (int) (jf >>> 40);
            img[p] += qi[k] + (jf & FRACTION) * INV_FIXED * qi[k + 1];
        }
    }

    private static boolean inside(double j, double last) {
        return j >= 0 && j <= last;
    }
}
