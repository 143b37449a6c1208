package org.voxel4j.volumetric.metrics;

/**
 * Percentiles of a sorted sample.
 *
 * <p>{@link #linear} is method 7 of Hyndman and Fan, "Sample Quantiles in Statistical Packages",
 * The American Statistician 50(4), 1996: the default of {@code numpy.percentile}. The arithmetic
 * mirrors numpy 1.24 ({@code (n-1)*q} as the virtual index, and its two-sided lerp) so results
 * agree to the last bit on the same input.
 */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The {@code percent}-th percentile (0..100) of {@code sorted} (ascending) with linear
     * interpolation between order statistics.
     */
    public static double linear(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile of an empty sample");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent " + percent + " is outside [0, 100]");
        }
        int n = sorted.length;
        double q = percent / 100.0;
        double virtualIndex = (n - 1) * q;
        int lo = (int) Math.floor(virtualIndex);
        if (lo >= n - 1) {
            return sorted[n - 1];
        }
        double gamma = virtualIndex - lo;
        if (gamma == 0) {
            // An exact order statistic; numpy would return NaN here when the next value is
            // infinite (inf * 0).
            return sorted[lo];
        }
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        // numpy's _lerp: interpolate from the nearer end for accuracy.
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
