package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seeded joint augmentation of an image and its label map, in this order: random flips, a random
 * quarter turn in one plane, a small random affine (rotation and isotropic scaling about the
 * centre, in physical millimetres), intensity scale and shift, Gaussian noise. Spatial steps move
 * image and label together (trilinear for the image, nearest for the label; samples that fall
 * outside the volume take the nearest edge value); intensity steps touch the image only.
 *
 * <p>All randomness comes from the {@link Random} passed in, so a seed reproduces the result
 * exactly. The image may have leading channel axes ({@code [C, D, H, W]} with a 3-entry spacing);
 * every channel gets the same spatial transform.
 *
 * @param flipProbability probability of flipping, drawn independently per axis in {@code flipAxes}
 * @param flipAxes spatial axes that may be flipped (0 = first spatial axis); null = all
 * @param rot90Probability probability of a quarter turn (k = 1, 2 or 3, uniform) in {@code
 *     rot90Plane}. When the plane is not square (sizes or spacings differ) only k = 2 is used, so
 *     shapes and spacings never change.
 * @param rot90Plane two spatial axes; null = the last two
 * @param affineProbability probability of the affine step
 * @param maxRotationDeg rotation angle drawn uniformly in &plusmn; this, per plane of two axes of
 *     length &gt; 1
 * @param minScale lower end of the uniform zoom factor (&gt; 1 enlarges the content)
 * @param maxScale upper end of the zoom factor
 * @param intensityProbability probability of the intensity step
 * @param intensityScale multiplier drawn in [1 - s, 1 + s]
 * @param intensityShift offset drawn in [-s, s] (image units)
 * @param noiseProbability probability of adding noise
 * @param noiseSigma standard deviation of the Gaussian noise (image units)
 */
public record Augmentation(
        double flipProbability,
        int[] flipAxes,
        double rot90Probability,
        int[] rot90Plane,
        double affineProbability,
        double maxRotationDeg,
        double minScale,
        double maxScale,
        double intensityProbability,
        double intensityScale,
        double intensityShift,
        double noiseProbability,
        double noiseSigma) {

    public Augmentation {
        prob("flipProbability", flipProbability);
        prob("rot90Probability", rot90Probability);
        prob("affineProbability", affineProbability);
        prob("intensityProbability", intensityProbability);
        prob("noiseProbability", noiseProbability);
        flipAxes = flipAxes == null ? null : flipAxes.clone();
        rot90Plane = rot90Plane == null ? null : rot90Plane.clone();
        if (rot90Plane != null && (rot90Plane.length != 2 || rot90Plane[0] == rot90Plane[1])) {
            throw new IllegalArgumentException(
                    "rot90Plane " + Arrays.toString(rot90Plane) + "; expected two different axes");
        }
        if (!(maxRotationDeg >= 0 && maxRotationDeg <= 180)) {
            throw new IllegalArgumentException(
                    "maxRotationDeg " + maxRotationDeg + "; expected 0..180");
        }
        if (!(minScale > 0 && maxScale >= minScale) || Double.isInfinite(maxScale)) {
            throw new IllegalArgumentException(
                    "scale range [" + minScale + ", " + maxScale + "]; expected 0 < min <= max");
        }
        if (!(intensityScale >= 0 && intensityScale < 1)) {
            throw new IllegalArgumentException(
                    "intensityScale " + intensityScale + "; expected [0, 1)");
        }
        if (!(intensityShift >= 0) || Double.isInfinite(intensityShift)) {
            throw new IllegalArgumentException(
                    "intensityShift " + intensityShift + "; expected >= 0");
        }
        if (!(noiseSigma >= 0) || Double.isInfinite(noiseSigma)) {
            throw new IllegalArgumentException("noiseSigma " + noiseSigma + "; expected >= 0");
        }
    }

    private static void prob(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(
                    name + " " + p + "; expected a probability in [0, 1]");
        }
    }

    /**
     * Defaults for normalised images (window to [0, 1] or z-score): flips 0.5 per axis, quarter
     * turns 0.5 in the last plane, affine 0.3 with &plusmn;15&deg; and zoom 0.9..1.1, intensity 0.5
     * with &plusmn;10 % scale and &plusmn;0.1 shift, noise 0.15 with sigma 0.05.
     */
    public static Augmentation defaults() {
        return new Augmentation(0.5, null, 0.5, null, 0.3, 15, 0.9, 1.1, 0.5, 0.1, 0.1, 0.15, 0.05);
    }

    /** Nothing happens (every probability 0); a base for {@code with...} copies. */
    public static Augmentation none() {
        return new Augmentation(0, null, 0, null, 0, 15, 0.9, 1.1, 0, 0.1, 0.1, 0, 0.05);
    }

    public Augmentation withFlips(double probability, int... axes) {
        return new Augmentation(
                probability,
                axes.length == 0 ? null : axes,
                rot90Probability,
                rot90Plane,
                affineProbability,
                maxRotationDeg,
                minScale,
                maxScale,
                intensityProbability,
                intensityScale,
                intensityShift,
                noiseProbability,
                noiseSigma);
    }

    public Augmentation withRot90(double probability, int axisA, int axisB) {
        return new Augmentation(
                flipProbability,
                flipAxes,
                probability,
                new int[] {axisA, axisB},
                affineProbability,
                maxRotationDeg,
                minScale,
                maxScale,
                intensityProbability,
                intensityScale,
                intensityShift,
                noiseProbability,
                noiseSigma);
    }

    public Augmentation withAffine(
            double probability, double maxRotationDeg, double minScale, double maxScale) {
        return new Augmentation(
                flipProbability,
                flipAxes,
                rot90Probability,
                rot90Plane,
                probability,
                maxRotationDeg,
                minScale,
                maxScale,
                intensityProbability,
                intensityScale,
                intensityShift,
                noiseProbability,
                noiseSigma);
    }

    public Augmentation withIntensity(double probability, double scale, double shift) {
        return new Augmentation(
                flipProbability,
                flipAxes,
                rot90Probability,
                rot90Plane,
                affineProbability,
                maxRotationDeg,
                minScale,
                maxScale,
                probability,
                scale,
                shift,
                noiseProbability,
                noiseSigma);
    }

    public Augmentation withNoise(double probability, double sigma) {
        return new Augmentation(
                flipProbability,
                flipAxes,
                rot90Probability,
                rot90Plane,
                affineProbability,
                maxRotationDeg,
                minScale,
                maxScale,
                intensityProbability,
                intensityScale,
                intensityShift,
                probability,
                sigma);
    }

    @Override
    public int[] flipAxes() {
        return flipAxes == null ? null : flipAxes.clone();
    }

    @Override
    public int[] rot90Plane() {
        return rot90Plane == null ? null : rot90Plane.clone();
    }

    /** An augmented pair; {@code label} is null when none was given. */
    public record Pair(INDArray image, INDArray label) {}

    /**
     * Augments {@code image} (and {@code label}, which may be null) with randomness from {@code
     * rng}.
     *
     * @param spacingMm millimetres per spatial axis; its length sets the number of trailing spatial
     *     axes of {@code image}; {@code label} has exactly the spatial shape
     */
    public Pair apply(INDArray image, INDArray label, double[] spacingMm, Random rng) {
        int[] shape = VoxelArrays.shapeOf(image);
        int r = spacingMm.length;
        if (r < 2 || r > 3 || r > shape.length) {
            throw new IllegalArgumentException(
                    "spacing "
                            + Arrays.toString(spacingMm)
                            + " must have 2 or 3 entries for image shape "
                            + Arrays.toString(shape));
        }
        VoxelArrays.checkSpacing(spacingMm, r);
        int off = shape.length - r;
        int[] spatial = Arrays.copyOfRange(shape, off, shape.length);
        if (label != null) {
            int[] ls = VoxelArrays.shapeOf(label);
            if (!Arrays.equals(ls, spatial)) {
                throw new IllegalArgumentException(
                        "label shape "
                                + Arrays.toString(ls)
                                + " differs from the image's spatial shape "
                                + Arrays.toString(spatial));
            }
        }
        double[] img = VoxelArrays.toDoubles(image);
        double[] lab = label == null ? null : VoxelArrays.toDoubles(label);
        int[] labShape = spatial.clone();

        // 1. Flips.
        int[] axes = flipAxes == null ? range(r) : flipAxes;
        boolean[] flipImg = new boolean[shape.length];
        boolean[] flipLab = new boolean[r];
        boolean anyFlip = false;
        for (int a : axes) {
            if (a < 0 || a >= r) {
                throw new IllegalArgumentException(
                        "flip axis " + a + " is not one of the " + r + " spatial axes");
            }
            if (rng.nextDouble() < flipProbability) {
                flipImg[off + a] = !flipImg[off + a];
                flipLab[a] = !flipLab[a];
                anyFlip = true;
            }
        }
        if (anyFlip) {
            img = Grids.permuteFlip(img, shape, range(shape.length), flipImg);
            if (lab != null) {
                lab = Grids.permuteFlip(lab, labShape, range(r), flipLab);
            }
        }

        // 2. Quarter turn.
        int[] plane = rot90Plane == null ? new int[] {r - 2, r - 1} : rot90Plane;
        if (plane[0] < 0 || plane[0] >= r || plane[1] < 0 || plane[1] >= r) {
            throw new IllegalArgumentException(
                    "rot90 plane "
                            + Arrays.toString(plane)
                            + " is not within "
                            + r
                            + " spatial axes");
        }
        if (rng.nextDouble() < rot90Probability) {
            boolean square =
                    spatial[plane[0]] == spatial[plane[1]]
                            && spacingMm[plane[0]] == spacingMm[plane[1]];
            int k = square ? 1 + rng.nextInt(3) : 2;
            img = rotate(img, shape, off + plane[0], off + plane[1], k);
            if (lab != null) {
                lab = rotate(lab, labShape, plane[0], plane[1], k);
            }
        }

        // 3. Affine (rotation + zoom about the centre, physical coordinates).
        if (rng.nextDouble() < affineProbability) {
            double[][] rot = identity3();
            int[] d3 = to3(spatial);
            double[] s3 = to3(spacingMm);
            for (int p = 0; p < 3; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (d3[p] > 1 && d3[q] > 1) {
                        double angle = Math.toRadians((2 * rng.nextDouble() - 1) * maxRotationDeg);
                        rot = multiply(planeRotation(p, q, angle), rot);
                    }
                }
            }
            double zoom = minScale + (maxScale - minScale) * rng.nextDouble();
            img = affine(img, channels(shape, off), d3, s3, rot, zoom, true);
            if (lab != null) {
                lab = affine(lab, 1, d3, s3, rot, zoom, false);
            }
        }

        // 4. Intensity scale and shift; 5. noise.
        if (rng.nextDouble() < intensityProbability) {
            double scale = 1 + (2 * rng.nextDouble() - 1) * intensityScale;
            double shift = (2 * rng.nextDouble() - 1) * intensityShift;
            for (int i = 0; i < img.length; i++) {
                img[i] = img[i] * scale + shift;
            }
        }
        if (rng.nextDouble() < noiseProbability && noiseSigma > 0) {
            for (int i = 0; i < img.length; i++) {
                img[i] += noiseSigma * rng.nextGaussian();
            }
        }
        INDArray outImg = VoxelArrays.fromDoubles(img, shape, Intensity.floatTypeOf(image));
        INDArray outLab =
                lab == null ? null : VoxelArrays.fromDoubles(lab, labShape, label.dataType());
        return new Pair(outImg, outLab);
    }

    private static int channels(int[] shape, int off) {
        int c = 1;
        for (int a = 0; a < off; a++) {
            c *= shape[a];
        }
        return c;
    }

    /** Quarter turns keep the flat length; shapes of the turned plane are equal or k = 2. */
    private static double[] rotate(double[] v, int[] shape, int a, int b, int k) {
        int[] perm = range(shape.length);
        boolean[] flip = new boolean[shape.length];
        if (k == 2) {
            flip[a] = true;
            flip[b] = true;
        } else {
            perm[a] = b;
            perm[b] = a;
            flip[k == 1 ? a : b] = true;
        }
        return Grids.permuteFlip(v, shape, perm, flip);
    }

    private static int[] range(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static int[] to3(int[] s) {
        return s.length == 3 ? s.clone() : new int[] {1, s[0], s[1]};
    }

    private static double[] to3(double[] s) {
        return s.length == 3 ? s.clone() : new double[] {1, s[0], s[1]};
    }

    private static double[][] identity3() {
        return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }

    private static double[][] planeRotation(int p, int q, double angle) {
        double[][] m = identity3();
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        m[p][p] = c;
        m[p][q] = -s;
        m[q][p] = s;
        m[q][q] = c;
        return m;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    /**
     * Output voxel p (physical x = (p - centre) * spacing) samples the input at y = R^T x / zoom,
     * i.e. the content is rotated by R and enlarged by zoom about the volume centre.
     */
    static double[] affine(
            double[] v,
            int channels,
            int[] d,
            double[] s,
            double[][] rot,
            double zoom,
            boolean linear) {
        int n = d[0] * d[1] * d[2];
        double[] out = new double[v.length];
        double[] c = {(d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0};
        java.util.stream.IntStream.range(0, d[0])
                .parallel()
                .forEach(
                        i -> {
                            double[] y = new double[3];
                            for (int j = 0; j < d[1]; j++) {
                                for (int k = 0; k < d[2]; k++) {
                                    double x0 = (i - c[0]) * s[0];
                                    double x1 = (j - c[1]) * s[1];
                                    double x2 = (k - c[2]) * s[2];
                                    for (int a = 0; a < 3; a++) {
                                        // R^T x: column a of R.
                                        y[a] =
                                                (rot[0][a] * x0 + rot[1][a] * x1 + rot[2][a] * x2)
                                                                / zoom
                                                                / s[a]
                                                        + c[a];
                                        if (y[a] < 0) {
                                            y[a] = 0;
                                        } else if (y[a] > d[a] - 1) {
                                            y[a] = d[a] - 1;
                                        }
                                    }
                                    int o = (i * d[1] + j) * d[2] + k;
                                    if (!linear) {
                                        int src =
                                                ((int) Math.floor(y[0] + 0.5) * d[1]
                                                                        + (int)
                                                                                Math.floor(
                                                                                        y[1] + 0.5))
                                                                * d[2]
                                                        + (int) Math.floor(y[2] + 0.5);
                                        for (int ch = 0; ch < channels; ch++) {
                                            out[ch * n + o] = v[ch * n + src];
                                        }
                                        continue;
                                    }
                                    int a0 = Math.min((int) y[0], d[0] - 1),
                                            b0 = Math.min((int) y[1], d[1] - 1),
                                            e0 = Math.min((int) y[2], d[2] - 1);
                                    int a1 = Math.min(a0 + 1, d[0] - 1),
                                            b1 = Math.min(b0 + 1, d[1] - 1),
                                            e1 = Math.min(e0 + 1, d[2] - 1);
                                    double fa = y[0] - a0, fb = y[1] - b0, fe = y[2] - e0;
                                    for (int ch = 0; ch < channels; ch++) {
                                        int base = ch * n;
                                        double v000 = v[base + (a0 * d[1] + b0) * d[2] + e0];
                                        double v001 = v[base + (a0 * d[1] + b0) * d[2] + e1];
                                        double v010 = v[base + (a0 * d[1] + b1) * d[2] + e0];
                                        double v011 = v[base + (a0 * d[1] + b1) * d[2] + e1];
                                        double v100 = v[base + (a1 * d[1] + b0) * d[2] + e0];
                                        double v101 = v[base + (a1 * d[1] + b0) * d[2] + e1];
                                        double v110 = v[base + (a1 * d[1] + b1) * d[2] + e0];
                                        double v111 = v[base + (a1 * d[1] + b1) * d[2] + e1];
                                        double v00 = v000 + (v001 - v000) * fe;
                                        double v01 = v010 + (v011 - v010) * fe;
                                        double v10 = v100 + (v101 - v100) * fe;
                                        double v11 = v110 + (v111 - v110) * fe;
                                        double v0 = v00 + (v01 - v00) * fb;
                                        double v1 = v10 + (v11 - v10) * fb;
                                        out[base + o] = v0 + (v1 - v0) * fa;
                                    }
                                }
                            }
                        });
        return out;
    }
}
