package org.voxel4j.volumetric.metrics;

import java.util.Arrays;

/**
 * What {@link SegmentationMetrics} computes.
 *
 * @param labels labels to evaluate in a label map; empty means every non-zero value present in
 *     either map. Listed labels are evaluated even when absent from both maps (then flagged {@code
 *     empty: both}).
 * @param surfel also compute the surface-element metrics ({@code hd95-surfel} and, for each
 *     tolerance, surface Dice); costs two more distance transforms per label
 * @param surfaceDiceTolerancesMm tolerances (mm) for surface Dice; requires {@code surfel}
 */
public record SegmentationMetricsConfig(
        int[] labels, boolean surfel, double[] surfaceDiceTolerancesMm) {

    public SegmentationMetricsConfig {
        labels = labels == null ? new int[0] : labels.clone();
        surfaceDiceTolerancesMm =
                surfaceDiceTolerancesMm == null ? new double[0] : surfaceDiceTolerancesMm.clone();
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(
                        "labels " + Arrays.toString(labels) + " list " + sorted[i] + " twice");
            }
        }
        for (double t : surfaceDiceTolerancesMm) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(
                        "surface Dice tolerance " + t + " mm; expected a finite value >= 0");
            }
        }
        if (!surfel && surfaceDiceTolerancesMm.length > 0) {
            throw new IllegalArgumentException(
                    "surface Dice tolerances "
                            + Arrays.toString(surfaceDiceTolerancesMm)
                            + " need surfel = true");
        }
    }

    /** Every non-zero label present, voxel metrics only. */
    public static SegmentationMetricsConfig defaults() {
        return new SegmentationMetricsConfig(new int[0], false, new double[0]);
    }

    /** A copy evaluating exactly {@code labels}. */
    public SegmentationMetricsConfig withLabels(int... labels) {
        return new SegmentationMetricsConfig(labels, surfel, surfaceDiceTolerancesMm);
    }

    /** A copy that also computes hd95-surfel and surface Dice at each of {@code tolerancesMm}. */
    public SegmentationMetricsConfig withSurfel(double... tolerancesMm) {
        return new SegmentationMetricsConfig(labels, true, tolerancesMm);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public double[] surfaceDiceTolerancesMm() {
        return surfaceDiceTolerancesMm.clone();
    }
}
