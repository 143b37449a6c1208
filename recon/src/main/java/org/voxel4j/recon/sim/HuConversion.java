package org.voxel4j.recon.sim;

/**
 * Hounsfield units ↔ linear attenuation: {@code μ = HU/1000 · μ_water + μ_water} and {@code HU =
 * 1000 · (μ − μ_water)/μ_water} (the definition of the Hounsfield scale with μ_air ≈ 0). The
 * default μ_water = 0.192 /cm is the value used by GloReDi's sparse-view simulation.
 *
 * <p>Units: μ comes out per centimetre. The projectors integrate in the length unit of the grid
 * (pixels unless a pixel size is given), so to get dimensionless line integrals from an image in
 * /cm on a grid measured in pixels, multiply μ by the pixel size in cm ({@link #perPixel}); on a
 * grid whose pixel size is given in mm, use μ per mm ({@code μ/10}).
 */
public final class HuConversion {
    /** μ_water in /cm used by GloReDi (≈ 60–70 keV effective energy). */
    public static final double MU_WATER_PER_CM = 0.192;

    private HuConversion() {}

    /** μ (/cm) of a Hounsfield value. */
    public static double muFromHu(double hu, double muWater) {
        return hu / 1000.0 * muWater + muWater;
    }

    /** Hounsfield value of μ (/cm). */
    public static double huFromMu(double mu, double muWater) {
        return 1000.0 * (mu - muWater) / muWater;
    }

    /** Element-wise μ (/cm) of an HU array (new array); {@code clampNegative} maps μ < 0 to 0. */
    public static double[] muFromHu(double[] hu, double muWater, boolean clampNegative) {
        checkWater(muWater);
        double[] out = new double[hu.length];
        for (int i = 0; i < hu.length; i++) {
            double m = muFromHu(hu[i], muWater);
            out[i] = clampNegative && m < 0 ? 0 : m;
        }
        return out;
    }

    /** Element-wise HU of a μ (/cm) array (new array). */
    public static double[] huFromMu(double[] mu, double muWater) {
        checkWater(muWater);
        double[] out = new double[mu.length];
        for (int i = 0; i < mu.length; i++) {
            out[i] = huFromMu(mu[i], muWater);
        }
        return out;
    }

    /**
     * Attenuation per pixel length: {@code μ[/cm] · pixelSizeMm / 10}. Projecting these values with
     * unit-pixel geometry gives dimensionless line integrals.
     */
    public static double perPixel(double muPerCm, double pixelSizeMm) {
        if (!(pixelSizeMm > 0)) {
            throw new IllegalArgumentException("pixel size must be positive, got " + pixelSizeMm);
        }
        return muPerCm * pixelSizeMm / 10.0;
    }

    private static void checkWater(double muWater) {
        if (!(muWater > 0) || Double.isInfinite(muWater)) {
            throw new IllegalArgumentException("mu_water must be positive, got " + muWater);
        }
    }
}
