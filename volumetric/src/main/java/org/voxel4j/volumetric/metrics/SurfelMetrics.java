package org.voxel4j.volumetric.metrics;

/**
 * Surface-element metrics of one label ({@link SurfelDistances}).
 *
 * @param hd95Surfel {@code hd95-surfel}: area-weighted 95th percentile Hausdorff distance (mm),
 *     percentile without interpolation
 * @param tolerancesMm surface Dice tolerances (mm)
 * @param surfaceDice surface Dice at each tolerance, same order
 */
public record SurfelMetrics(double hd95Surfel, double[] tolerancesMm, double[] surfaceDice) {
    public SurfelMetrics {
        tolerancesMm = tolerancesMm.clone();
        surfaceDice = surfaceDice.clone();
        if (tolerancesMm.length != surfaceDice.length) {
            throw new IllegalArgumentException(
                    tolerancesMm.length + " tolerances but " + surfaceDice.length + " values");
        }
    }

    @Override
    public double[] tolerancesMm() {
        return tolerancesMm.clone();
    }

    @Override
    public double[] surfaceDice() {
        return surfaceDice.clone();
    }

    /** Report name of surface Dice at {@code toleranceMm}, e.g. {@code surface_dice@1.0mm}. */
    public static String surfaceDiceName(double toleranceMm) {
        return "surface_dice@" + toleranceMm + "mm";
    }
}
