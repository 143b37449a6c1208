package org.voxel4j.recon.metrics;

/**
 * How the SSIM map is computed (Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image
 * quality assessment: from error visibility to structural similarity", IEEE TIP 13(4), 2004, eq.
 * 13): local means, variances and covariance under a separable window, {@code SSIM = ((2μxμy +
 * C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2))}, C1 = (K1·R)², C2 = (K2·R)². Borders are
 * padded by reflection ({@code d c b a | a b c d}, SciPy's {@code reflect}); the score is the mean
 * of the map after cropping {@code crop} voxels from every face (and over a mask if one is given).
 *
 * @param gaussian Gaussian window (else uniform)
 * @param size window taps per axis (odd, ≥ 3)
 * @param sigma Gaussian σ (ignored for a uniform window)
 * @param sampleCovariance scale variances by N/(N−1), N = size^dims (scikit-image's {@code
 *     use_sample_covariance})
 * @param k1 K1
 * @param k2 K2
 * @param crop voxels removed from each face before averaging
 */
public record SsimOptions(
        boolean gaussian,
        int size,
        double sigma,
        boolean sampleCovariance,
        double k1,
        double k2,
        int crop) {
    public SsimOptions {
        if (size < 3 || size % 2 == 0) {
            throw new IllegalArgumentException(
                    "SSIM window size must be odd and >= 3, got " + size);
        }
        if (gaussian && !(sigma > 0)) {
            throw new IllegalArgumentException(
                    "Gaussian SSIM window needs sigma > 0, got " + sigma);
        }
        if (!(k1 > 0) || !(k2 > 0)) {
            throw new IllegalArgumentException("K1, K2 must be positive, got " + k1 + ", " + k2);
        }
        if (crop < 0) {
            throw new IllegalArgumentException("crop must be >= 0, got " + crop);
        }
    }

    /**
     * The SynthRAD2023 evaluation's SSIM: uniform 7-tap window, N/(N−1) covariance, crop 3 (=
     * {@code skimage.metrics.structural_similarity} defaults).
     */
    public static SsimOptions synthrad2023() {
        return new SsimOptions(false, 7, 0, true, 0.01, 0.03, 3);
    }

    /**
     * Wang et al.'s SSIM: Gaussian σ = 1.5 truncated to 11 taps, population covariance, crop 5 (=
     * {@code structural_similarity(gaussian_weights=True, sigma=1.5,
     * use_sample_covariance=False)}).
     */
    public static SsimOptions wang() {
        return new SsimOptions(true, 11, 1.5, false, 0.01, 0.03, 5);
    }

    /** Normalised 1D window weights. */
    double[] weights() {
        double[] w = new double[size];
        int r = size / 2;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            w[i] = gaussian ? Math.exp(-0.5 * (i - r) * (i - r) / (sigma * sigma)) : 1.0;
            sum += w[i];
        }
        for (int i = 0; i < size; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
