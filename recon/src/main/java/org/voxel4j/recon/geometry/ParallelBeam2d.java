package org.voxel4j.recon.geometry;

import java.util.Arrays;

/**
 * 2D parallel-beam geometry. The value at view angle θ and detector coordinate s is the line
 * integral {@code p(θ, s) = ∫∫ f(x, y) δ(x cos θ + y sin θ − s) dx dy} (x right, y up, origin at
 * the image centre); detector element {@code j} sits at {@code s_j = (j − (n − 1)/2) · spacing +
 * offset}. The ray of (θ, s) passes through {@code s · (cos θ, sin θ)} with direction {@code (−sin
 * θ, cos θ)}.
 *
 * <p>Relation to {@code skimage.transform.radon(image, theta=degrees(θ))}: its output row {@code k}
 * is s = {@code k − K//2} with K its detector count, and its rotation centre is the pixel with
 * index {@code (H//2, W//2)}; for an odd image size that is the image centre used here, so the two
 * agree sample for sample; for an even size skimage's centre is half a pixel right of and below
 * (larger row index than) the centre used here.
 *
 * @param angles view angles θ in radians
 * @param detectors number of detector elements (≥ 1)
 * @param detectorSpacing distance between detector elements (length unit of the image grid)
 * @param detectorOffset shift of the detector centre along s (centre-of-rotation offset)
 */
public record ParallelBeam2d(
        double[] angles, int detectors, double detectorSpacing, double detectorOffset)
        implements Geometry2d {
    public ParallelBeam2d {
        angles = Angles.checked(angles);
        if (detectors < 1) {
            throw new IllegalArgumentException("detectors must be >= 1, got " + detectors);
        }
        Angles.checkPositive("detectorSpacing", detectorSpacing);
        Angles.checkFinite("detectorOffset", detectorOffset);
    }

    /**
     * {@code views} angles {@code i · arc / views} over {@code arcDegrees}, {@code detectors}
     * elements with unit spacing and no offset.
     */
    public static ParallelBeam2d uniform(int views, double arcDegrees, int detectors) {
        return new ParallelBeam2d(Angles.uniform(views, arcDegrees), detectors, 1.0, 0.0);
    }

    /**
     * The default detector count of the command line for an image of side {@code size}: {@code ⌈√2
     * · size⌉}, made odd (so that the central element sits on the rotation axis).
     */
    public static int defaultDetectors(int size) {
        int n = (int) Math.ceil(Math.sqrt(2.0) * size);
        return n % 2 == 0 ? n + 1 : n;
    }

    @Override
    public double[] angles() {
        return angles.clone();
    }

    @Override
    public int views() {
        return angles.length;
    }

    @Override
    public double angle(int view) {
        return angles[view];
    }

    /** Detector coordinate s of element {@code j}. */
    public double s(double j) {
        return (j - 0.5 * (detectors - 1)) * detectorSpacing + detectorOffset;
    }

    /** Fractional detector index of coordinate s. */
    public double detectorIndex(double s) {
        return (s - detectorOffset) / detectorSpacing + 0.5 * (detectors - 1);
    }

    @Override
    public void ray(int view, int det, double[] out) {
        double c = Math.cos(angles[view]);
        double sn = Math.sin(angles[view]);
        double s = s(det);
        out[0] = s * c;
        out[1] = s * sn;
        out[2] = -sn;
        out[3] = c;
    }

    @Override
    public ParallelBeam2d withViews(int[] views) {
        return new ParallelBeam2d(
                Angles.select(angles, views), detectors, detectorSpacing, detectorOffset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParallelBeam2d p
                && Arrays.equals(angles, p.angles)
                && detectors == p.detectors
                && detectorSpacing == p.detectorSpacing
                && detectorOffset == p.detectorOffset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(angles) * 31 + Integer.hashCode(detectors);
    }

    @Override
    public String toString() {
        return "ParallelBeam2d[views="
                + angles.length
                + ", detectors="
                + detectors
                + ", spacing="
                + detectorSpacing
                + ", offset="
                + detectorOffset
                + "]";
    }
}
