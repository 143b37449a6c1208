package org.voxel4j.recon.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.voxel4j.recon.Parallel;

/**
 * Gamma index of an evaluated dose distribution against a reference (D. A. Low, W. B. Harms, S.
 * Mutic, J. A. Purdy, "A technique for the quantitative evaluation of dose distributions", Med.
 * Phys. 25(5), 1998), as METRICS.md defines it: {@code γ(r) = min over evaluated grid points r'
 * with |r' − r| ≤ search radius of √(|r' − r|²/DTA² + (D_eval(r') − D_ref(r))²/ΔD²)}, global ΔD =
 * p% × max(D_ref), local ΔD = p% × D_ref(r). Reference points below the low-dose cutoff (% of the
 * reference maximum) are not evaluated (nor, for local ΔD, points with D_ref ≤ 0); γ is capped at
 * searchRadius/DTA (a point further away can only give more). The evaluated distribution is used at
 * its grid points (no interpolation between them); both grids share shape and spacing.
 */
public final class GammaIndex {
    private GammaIndex() {}

    /**
     * Gamma criteria.
     *
     * @param dosePercent p (e.g. 3 for 3%)
     * @param dtaMm distance to agreement in mm
     * @param cutoffPercent low-dose cutoff in % of the reference maximum (default 10)
     * @param local local (true) or global (false) dose difference
     * @param searchRadiusMm search radius in mm (default 3·DTA)
     */
    public record Criteria(
            double dosePercent,
            double dtaMm,
            double cutoffPercent,
            boolean local,
            double searchRadiusMm) {
        public Criteria {
            if (!(dosePercent > 0) || !(dtaMm > 0)) {
                throw new IllegalArgumentException(
                        "gamma criteria need dose% > 0 and DTA > 0, got "
                                + dosePercent
                                + "% / "
                                + dtaMm
                                + " mm");
            }
            if (!(cutoffPercent >= 0 && cutoffPercent < 100)) {
                throw new IllegalArgumentException(
                        "low-dose cutoff must be in [0, 100) %, got " + cutoffPercent);
            }
            if (!(searchRadiusMm > 0)) {
                throw new IllegalArgumentException(
                        "search radius must be positive, got " + searchRadiusMm);
            }
        }

        /** Global p%/DTA with a 10 % cutoff and a search radius of 3·DTA. */
        public static Criteria global(double dosePercent, double dtaMm) {
            return new Criteria(dosePercent, dtaMm, 10, false, 3 * dtaMm);
        }

        /** Local p%/DTA with a 10 % cutoff and a search radius of 3·DTA. */
        public static Criteria local(double dosePercent, double dtaMm) {
            return new Criteria(dosePercent, dtaMm, 10, true, 3 * dtaMm);
        }
    }

    /**
     * Result.
     *
     * @param passRate share of evaluated points with γ ≤ 1
     * @param evaluated number of evaluated reference points
     * @param passed number of them with γ ≤ 1
     * @param gamma γ per reference point, NaN where not evaluated
     */
    public record Result(double passRate, int evaluated, int passed, double[] gamma) {}

    /**
     * @param shape grid shape (1 to 3 axes, row-major)
     * @param spacingMm grid spacing per axis, same order as {@code shape}
     */
    public static Result compute(
            double[] reference, double[] evaluated, int[] shape, double[] spacingMm, Criteria c) {
        if (reference.length != evaluated.length) {
            throw new IllegalArgumentException(
                    "reference has "
                            + reference.length
                            + " dose values, evaluated "
                            + evaluated.length);
        }
        if (shape.length < 1 || shape.length > 3 || spacingMm.length != shape.length) {
            throw new IllegalArgumentException(
                    "gamma needs a 1-3D shape and one spacing per axis, got shape "
                            + Arrays.toString(shape)
                            + " and spacing "
                            + Arrays.toString(spacingMm));
        }
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(spacingMm[i] > 0)) {
                throw new IllegalArgumentException(
                        "spacing must be positive, got " + Arrays.toString(spacingMm));
            }
            n *= shape[i];
        }
        if (n != reference.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + n
                            + " values, the doses have "
                            + reference.length);
        }
        // pad to 3 axes (z, y, x)
        int[] s = new int[3];
        double[] sp = new double[3];
        Arrays.fill(s, 1);
        Arrays.fill(sp, 1);
        System.arraycopy(shape, 0, s, 3 - shape.length, shape.length);
        System.arraycopy(spacingMm, 0, sp, 3 - shape.length, shape.length);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : reference) {
            max = Math.max(max, v);
        }
        final double refMax = max;
        double cutoff = c.cutoffPercent() / 100.0 * refMax;
        double dta2 = c.dtaMm() * c.dtaMm();
        double radius = c.searchRadiusMm();
        double cap = radius / c.dtaMm();
        // neighbour offsets within the search radius, sorted by distance for early exit
        List<double[]> offs = new ArrayList<>();
        int rz = (int) Math.floor(radius / sp[0]);
        int ry = (int) Math.floor(radius / sp[1]);
        int rx = (int) Math.floor(radius / sp[2]);
        for (int dz = -rz; dz <= rz; dz++) {
            for (int dy = -ry; dy <= ry; dy++) {
                for (int dx = -rx; dx <= rx; dx++) {
                    double d2 =
                            Math.pow(dz * sp[0], 2)
                                    + Math.pow(dy * sp[1], 2)
                                    + Math.pow(dx * sp[2], 2);
                    if (d2 <= radius * radius + 1e-9) {
                        offs.add(new double[] {d2 / dta2, dz, dy, dx});
                    }
                }
            }
        }
        offs.sort((a, b) -> Double.compare(a[0], b[0]));
        int m = offs.size();
        double[] oDist = new double[m];
        int[] oz = new int[m];
        int[] oy = new int[m];
        int[] ox = new int[m];
        for (int i = 0; i < m; i++) {
            double[] o = offs.get(i);
            oDist[i] = o[0];
            oz[i] = (int) o[1];
            oy[i] = (int) o[2];
            ox[i] = (int) o[3];
        }
        double[] gamma = new double[reference.length];
        Parallel.forRange(
                reference.length,
                (from, to) -> {
                    for (int i = from; i < to; i++) {
                        double dr = reference[i];
                        double dd = c.dosePercent() / 100.0 * (c.local() ? dr : refMax);
                        if (dr < cutoff || !(dd > 0)) {
                            gamma[i] = Double.NaN;
                            continue;
                        }
                        double inv = 1.0 / (dd * dd);
                        int z = i / (s[1] * s[2]);
                        int y = (i / s[2]) % s[1];
                        int x = i % s[2];
                        double best = Double.POSITIVE_INFINITY;
                        for (int k = 0; k < m; k++) {
                            if (oDist[k] >= best) {
                                break;
                            }
                            int zz = z + oz[k];
                            int yy = y + oy[k];
                            int xx = x + ox[k];
                            if (zz < 0
                                    || zz >= s[0]
                                    || yy < 0
                                    || yy >= s[1]
                                    || xx < 0
                                    || xx >= s[2]) {
                                continue;
                            }
                            double diff = evaluated[(zz * s[1] + yy) * s[2] + xx] - dr;
                            double g2 = oDist[k] + diff * diff * inv;
                            if (g2 < best) {
                                best = g2;
                            }
                        }
                        gamma[i] = Math.min(Math.sqrt(best), cap);
                    }
                });
        int evaluatedCount = 0;
        int passed = 0;
        for (double g : gamma) {
            if (!Double.isNaN(g)) {
                evaluatedCount++;
                if (g <= 1) {
                    passed++;
                }
            }
        }
        if (evaluatedCount == 0) {
            throw new IllegalArgumentException(
                    "no reference point above the low-dose cutoff of " + c.cutoffPercent() + " %");
        }
        return new Result((double) passed / evaluatedCount, evaluatedCount, passed, gamma);
    }
}
