package org.voxel4j.volumetric.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Seeded generator of synthetic abdominal CT cases with organ label maps, for demos and tests.
 *
 * <p>Anatomy is drawn in normalised coordinates (each axis spans [-1, 1] over the array; D runs
 * inferior &rarr; superior, H anterior &rarr; posterior, W image-left &rarr; image-right with the
 * patient's right on the image left, as in radiological display). A case paints, in order: air
 * (&minus;1000 HU); an elliptic body (soft tissue 40 HU) with a subcutaneous fat ring (&minus;100
 * HU) and, in the anterior abdomen, pockets of mesenteric fat (&minus;100 HU) and bowel gas
 * (&minus;900 HU); lungs (&minus;800 HU) in the upper part; liver (60 HU); spleen (50 HU); kidneys
 * (30 HU) inside perirenal fat (&minus;90 HU); a contrast-filled aorta (150 HU); the spine
 * (vertebral body and posterior process, cortical 700 HU around cancellous 300 HU, intervertebral
 * discs 80 HU); optional hypodense liver lesions (15 HU). Organs are ellipsoids with random
 * position, size and orientation jitter and a smooth random boundary deformation. The image is then
 * blurred with a Gaussian point-spread function and Gaussian noise is added.
 *
 * <p>The label map gives 0 to background and 1..K to the structures listed in {@link
 * Config#labelled()}, in that order, following what is visible in the final painting (a later
 * structure overwrites an earlier one). Lesions belong to the liver label unless {@link
 * Structure#LESIONS} is labelled itself. All randomness comes from the seed, and the arithmetic
 * uses {@link StrictMath}, so a seed gives the same case on every JVM.
 */
public final class SyntheticCtPhantom {
    private SyntheticCtPhantom() {}

    /** Structures that can be labelled. Lungs and kidneys each cover both sides. */
    public enum Structure {
        LIVER,
        SPLEEN,
        KIDNEYS,
        SPINE,
        LUNGS,
        LESIONS;

        /** Lower-case name used in label lists (e.g. dataset.json). */
        public String labelName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Generation settings.
     *
     * @param shape array shape [D, H, W], each at least 8
     * @param spacingMm voxel spacing [D, H, W] in mm
     * @param labelled structures that get labels 1..K, in this order (at least one, no repeats)
     * @param noiseHu standard deviation of the additive Gaussian noise (HU, &ge; 0)
     * @param blurSigmaVoxels Gaussian blur sigma in voxels (&ge; 0; 0 = none)
     * @param maxLesions up to this many liver lesions (uniform 0..max)
     * @param jitter scale of the random anatomy variation (0 = the mean anatomy, 1 = default)
     */
    public record Config(
            int[] shape,
            double[] spacingMm,
            List<Structure> labelled,
            double noiseHu,
            double blurSigmaVoxels,
            int maxLesions,
            double jitter) {

        public Config {
            if (shape == null || shape.length != 3) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + "; expected [D, H, W]");
            }
            shape = shape.clone();
            for (int s : shape) {
                if (s < 8 || s > 1024) {
                    throw new IllegalArgumentException(
                            "shape "
                                    + Arrays.toString(shape)
                                    + "; every axis must be 8..1024 voxels");
                }
            }
            spacingMm = VoxelArrays.checkSpacing(spacingMm, 3);
            if (labelled == null || labelled.isEmpty()) {
                throw new IllegalArgumentException("labelled structures must not be empty");
            }
            labelled = List.copyOf(labelled);
            if (labelled.stream().distinct().count() != labelled.size()) {
                throw new IllegalArgumentException(
                        "labelled structures " + labelled + " contain a repeat");
            }
            if (!(noiseHu >= 0) || Double.isInfinite(noiseHu)) {
                throw new IllegalArgumentException(
                        "noiseHu " + noiseHu + "; expected a finite value >= 0");
            }
            if (!(blurSigmaVoxels >= 0 && blurSigmaVoxels <= 10)) {
                throw new IllegalArgumentException(
                        "blurSigmaVoxels " + blurSigmaVoxels + "; expected 0..10");
            }
            if (maxLesions < 0 || maxLesions > 20) {
                throw new IllegalArgumentException("maxLesions " + maxLesions + "; expected 0..20");
            }
            if (!(jitter >= 0 && jitter <= 2)) {
                throw new IllegalArgumentException("jitter " + jitter + "; expected 0..2");
            }
        }

        /**
         * 48 x 48 x 48 voxels at 1.5 x 1 x 1 mm; labels liver = 1, kidneys = 2, spine = 3; noise 12
         * HU, blur 0.7 voxels, up to 2 lesions, jitter 1.
         */
        public static Config defaults() {
            return new Config(
                    new int[] {48, 48, 48},
                    new double[] {1.5, 1.0, 1.0},
                    List.of(Structure.LIVER, Structure.KIDNEYS, Structure.SPINE),
                    12,
                    0.7,
                    2,
                    1.0);
        }

        public Config withShape(int d, int h, int w) {
            return new Config(
                    new int[] {d, h, w},
                    spacingMm,
                    labelled,
                    noiseHu,
                    blurSigmaVoxels,
                    maxLesions,
                    jitter);
        }

        public Config withSpacing(double d, double h, double w) {
            return new Config(
                    shape,
                    new double[] {d, h, w},
                    labelled,
                    noiseHu,
                    blurSigmaVoxels,
                    maxLesions,
                    jitter);
        }

        public Config withLabelled(Structure... structures) {
            return new Config(
                    shape,
                    spacingMm,
                    List.of(structures),
                    noiseHu,
                    blurSigmaVoxels,
                    maxLesions,
                    jitter);
        }

        public Config withNoise(double noiseHu, double blurSigmaVoxels) {
            return new Config(
                    shape, spacingMm, labelled, noiseHu, blurSigmaVoxels, maxLesions, jitter);
        }

        public Config withLesions(int maxLesions) {
            return new Config(
                    shape, spacingMm, labelled, noiseHu, blurSigmaVoxels, maxLesions, jitter);
        }

        public Config withJitter(double jitter) {
            return new Config(
                    shape, spacingMm, labelled, noiseHu, blurSigmaVoxels, maxLesions, jitter);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public double[] spacingMm() {
            return spacingMm.clone();
        }
    }

    /**
     * A generated case.
     *
     * @param hu image in Hounsfield units, C order [D, H, W]
     * @param labels label map, C order [D, H, W]
     * @param shape [D, H, W]
     * @param spacingMm [D, H, W] in mm
     * @param labelNames name of each label value, index 0 = "background"
     */
    public record Case(
            float[] hu, int[] labels, int[] shape, double[] spacingMm, List<String> labelNames) {
        /** The image as a new FLOAT array [D, H, W] in HU. */
        public INDArray image() {
            return VoxelArrays.fromFloats(hu, shape);
        }

        /** The label map as a new INT32 array [D, H, W]. */
        public INDArray label() {
            return VoxelArrays.fromInts(labels, shape);
        }
    }

    // Painting ids (index into HU tables); 0 = air.
    private static final int AIR = 0,
            BODY = 1,
            FAT = 2,
            LUNG = 3,
            LIVER = 4,
            SPLEEN = 5,
            KIDNEY_FAT = 6,
            KIDNEY = 7,
            AORTA = 8,
            BONE_CORTEX = 9,
            BONE_INNER = 10,
            DISC = 11,
            LESION = 12,
            MESENTERIC_FAT = 13,
            GAS = 14;
    private static final double[] HU = {
        -1000, 40, -100, -800, 60, 50, -90, 30, 150, 700, 300, 80, 15, -100, -900
    };

    /** A deformed, rotated ellipsoid in normalised coordinates. */
    private record Blob(
            double[] centre,
            double[] semi,
            double[][] rot,
            double[][] dir,
            double[] freq,
            double[] amp,
            double[] phase) {
        boolean contains(double z, double y, double x) {
            double dz = z - centre[0], dy = y - centre[1], dx = x - centre[2];
            double r2 = 0;
            double[] u = new double[3];
            for (int a = 0; a < 3; a++) {
                u[a] = (rot[a][0] * dz + rot[a][1] * dy + rot[a][2] * dx) / semi[a];
                r2 += u[a] * u[a];
            }
            if (r2 > 2.0) {
                return false; // beyond any deformation
            }
            double bound = 1;
            for (int m = 0; m < amp.length; m++) {
                double t = dir[m][0] * u[0] + dir[m][1] * u[1] + dir[m][2] * u[2];
                bound += amp[m] * StrictMath.sin(freq[m] * t + phase[m]);
            }
            return r2 <= bound * bound;
        }
    }

    /** Generates one case; the same config and seed always give the same case. */
    public static Case generate(Config cfg, long seed) {
        Random rng = new Random(seed);
        double j = cfg.jitter();
        int[] shape = cfg.shape();
        int nd = shape[0], nh = shape[1], nw = shape[2];
        int n = nd * nh * nw;

        // Body cross-section (elliptic cylinder, slightly tapered along z).
        double bodyY = 0.72 * (1 + 0.05 * j * sym(rng));
        double bodyX = 0.90 * (1 + 0.05 * j * sym(rng));
        double fatT = 0.07 * (1 + 0.3 * j * sym(rng));
        Blob lungL =
                blob(
                        rng,
                        j,
                        new double[] {0.78, 0.02, -0.45},
                        new double[] {0.50, 0.38, 0.27},
                        0.04);
        Blob lungR =
                blob(
                        rng,
                        j,
                        new double[] {0.78, 0.02, 0.45},
                        new double[] {0.50, 0.38, 0.27},
                        0.04);
        Blob liver =
                blob(
                        rng,
                        j,
                        new double[] {0.15, -0.08, -0.36},
                        new double[] {0.48, 0.42, 0.40},
                        0.08);
        Blob spleen =
                blob(
                        rng,
                        j,
                        new double[] {0.28, 0.22, 0.56},
                        new double[] {0.28, 0.20, 0.15},
                        0.06);
        Blob kidL =
                blob(
                        rng,
                        j,
                        new double[] {-0.28, 0.36, -0.38},
                        new double[] {0.32, 0.16, 0.13},
                        0.05);
        Blob kidR =
                blob(
                        rng,
                        j,
                        new double[] {-0.33, 0.36, 0.38},
                        new double[] {0.32, 0.16, 0.13},
                        0.05);
        Blob kidLFat = scaled(kidL, 1.35);
        Blob kidRFat = scaled(kidR, 1.35);
        double spineY = 0.55 + 0.03 * j * sym(rng);
        double spineX = 0.03 * j * sym(rng);
        double spineRy = 0.15 * (1 + 0.1 * j * sym(rng));
        double spineRx = 0.14 * (1 + 0.1 * j * sym(rng));
        double discPeriod = 0.45 * (1 + 0.1 * j * sym(rng));
        double discPhase = rng.nextDouble();
        double aortaY = 0.33 + 0.03 * j * sym(rng);
        double aortaX = 0.12 + 0.03 * j * sym(rng);
        // Texture of the abdomen outside the organs: pockets of mesenteric fat and bowel gas in
        // the anterior half (drawn under the organs).
        List<double[]> fatPockets = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            fatPockets.add(
                    new double[] {
                        sym(rng) * 0.8,
                        -0.55 + 0.7 * rng.nextDouble(),
                        sym(rng) * 0.6,
                        0.06 + 0.06 * rng.nextDouble()
                    });
        }
        List<double[]> gasPockets = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            gasPockets.add(
                    new double[] {
                        sym(rng) * 0.6,
                        -0.5 + 0.5 * rng.nextDouble(),
                        sym(rng) * 0.5,
                        0.03 + 0.03 * rng.nextDouble()
                    });
        }
        int lesionCount = cfg.maxLesions() == 0 ? 0 : rng.nextInt(cfg.maxLesions() + 1);
        List<double[]> lesions = new ArrayList<>();
        for (int t = 0; t < lesionCount; t++) {
            double r = 0.04 + 0.05 * rng.nextDouble();
            for (int tries = 0; tries < 100; tries++) {
                double[] c = {
                    liver.centre()[0] + liver.semi()[0] * sym(rng) * 0.7,
                    liver.centre()[1] + liver.semi()[1] * sym(rng) * 0.7,
                    liver.centre()[2] + liver.semi()[2] * sym(rng) * 0.7
                };
                if (liver.contains(c[0], c[1], c[2])) {
                    lesions.add(new double[] {c[0], c[1], c[2], r});
                    break;
                }
            }
        }

        int[] paint = new int[n];
        int p = 0;
        for (int iz = 0; iz < nd; iz++) {
            double z = norm(iz, nd);
            for (int iy = 0; iy < nh; iy++) {
                double y = norm(iy, nh);
                for (int ix = 0; ix < nw; ix++, p++) {
                    double x = norm(ix, nw);
                    double taper = 1 - 0.06 * z * z;
                    double e = sq(y / (bodyY * taper)) + sq(x / (bodyX * taper));
                    if (e > 1) {
                        paint[p] = AIR;
                        continue;
                    }
                    int id = BODY;
                    double inner = sq(y / (bodyY * taper - fatT)) + sq(x / (bodyX * taper - fatT));
                    if (inner > 1) {
                        id = FAT;
                    } else {
                        for (double[] f : fatPockets) {
                            if (sq(z - f[0]) + sq(y - f[1]) + sq(x - f[2]) <= f[3] * f[3]) {
                                id = MESENTERIC_FAT;
                            }
                        }
                        for (double[] g : gasPockets) {
                            if (sq(z - g[0]) + sq(y - g[1]) + sq(x - g[2]) <= g[3] * g[3]) {
                                id = GAS;
                            }
                        }
                        if (lungL.contains(z, y, x) || lungR.contains(z, y, x)) {
                            id = LUNG;
                        }
                        if (liver.contains(z, y, x)) {
                            id = LIVER;
                        }
                        if (spleen.contains(z, y, x)) {
                            id = SPLEEN;
                        }
                        if (kidLFat.contains(z, y, x) || kidRFat.contains(z, y, x)) {
                            id = KIDNEY_FAT;
                        }
                        if (kidL.contains(z, y, x) || kidR.contains(z, y, x)) {
                            id = KIDNEY;
                        }
                        if (sq((y - aortaY) / 0.07) + sq((x - aortaX) / 0.07) <= 1) {
                            id = AORTA;
                        }
                        double vb = sq((y - spineY) / spineRy) + sq((x - spineX) / spineRx);
                        double proc =
                                sq((y - spineY - spineRy - 0.05) / 0.07) + sq((x - spineX) / 0.05);
                        if (vb <= 1) {
                            double phase = (z / discPeriod + discPhase) % 1.0;
                            if (phase < 0) {
                                phase += 1;
                            }
                            id = phase < 0.18 ? DISC : vb <= 0.55 ? BONE_INNER : BONE_CORTEX;
                        } else if (proc <= 1) {
                            id = BONE_CORTEX;
                        }
                        if (id == LIVER) {
                            for (double[] l : lesions) {
                                if (sq(z - l[0]) + sq(y - l[1]) + sq(x - l[2]) <= l[3] * l[3]) {
                                    id = LESION;
                                }
                            }
                        }
                    }
                    paint[p] = id;
                }
            }
        }

        // Labels.
        int[] labelOf = new int[HU.length];
        List<String> names = new ArrayList<>();
        names.add("background");
        for (int k = 0; k < cfg.labelled().size(); k++) {
            Structure s = cfg.labelled().get(k);
            names.add(s.labelName());
            int value = k + 1;
            switch (s) {
                case LIVER -> labelOf[LIVER] = value;
                case SPLEEN -> labelOf[SPLEEN] = value;
                case KIDNEYS -> labelOf[KIDNEY] = value;
                case SPINE -> {
                    labelOf[BONE_CORTEX] = value;
                    labelOf[BONE_INNER] = value;
                    labelOf[DISC] = value;
                }
                case LUNGS -> labelOf[LUNG] = value;
                case LESIONS -> labelOf[LESION] = value;
            }
        }
        if (!cfg.labelled().contains(Structure.LESIONS)) {
            labelOf[LESION] = labelOf[LIVER];
        }
        int[] labels = new int[n];
        double[] img = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = labelOf[paint[i]];
            img[i] = HU[paint[i]];
        }

        // Point-spread blur, then noise from its own stream (changing noise keeps the anatomy).
        if (cfg.blurSigmaVoxels() > 0) {
            for (int axis = 0; axis < 3; axis++) {
                img = blurAxis(img, shape, axis, cfg.blurSigmaVoxels());
            }
        }
        Random noise = new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        float[] hu = new float[n];
        for (int i = 0; i < n; i++) {
            hu[i] = (float) (img[i] + cfg.noiseHu() * noise.nextGaussian());
        }
        return new Case(hu, labels, shape, cfg.spacingMm(), List.copyOf(names));
    }

    private static double norm(int i, int n) {
        return (i + 0.5) / n * 2 - 1;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double sym(Random rng) {
        return 2 * rng.nextDouble() - 1;
    }

    private static Blob blob(Random rng, double j, double[] centre, double[] semi, double deform) {
        double[] c = new double[3];
        double[] s = new double[3];
        for (int a = 0; a < 3; a++) {
            c[a] = centre[a] + 0.04 * j * sym(rng);
            s[a] = semi[a] * (1 + 0.12 * j * sym(rng));
        }
        double[][] rot =
                rotation(
                        StrictMath.toRadians(10 * j * sym(rng)),
                        StrictMath.toRadians(10 * j * sym(rng)),
                        StrictMath.toRadians(10 * j * sym(rng)));
        int m = 3;
        double[][] dir = new double[m][3];
        double[] freq = new double[m];
        double[] amp = new double[m];
        double[] phase = new double[m];
        for (int k = 0; k < m; k++) {
            double[] v = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double len = StrictMath.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + 1e-12;
            for (int a = 0; a < 3; a++) {
                dir[k][a] = v[a] / len;
            }
            freq[k] = 2 + 2 * rng.nextDouble();
            amp[k] = deform * (0.5 + 0.5 * j) * rng.nextDouble();
            phase[k] = 2 * StrictMath.PI * rng.nextDouble();
        }
        return new Blob(c, s, rot, dir, freq, amp, phase);
    }

    private static Blob scaled(Blob b, double f) {
        double[] s = b.semi().clone();
        for (int a = 0; a < 3; a++) {
            s[a] *= f;
        }
        return new Blob(b.centre(), s, b.rot(), b.dir(), b.freq(), b.amp(), b.phase());
    }

    private static double[][] rotation(double a, double b, double c) {
        double ca = StrictMath.cos(a), sa = StrictMath.sin(a);
        double cb = StrictMath.cos(b), sb = StrictMath.sin(b);
        double cc = StrictMath.cos(c), sc = StrictMath.sin(c);
        double[][] rx = {{1, 0, 0}, {0, ca, -sa}, {0, sa, ca}};
        double[][] ry = {{cb, 0, sb}, {0, 1, 0}, {-sb, 0, cb}};
        double[][] rz = {{cc, -sc, 0}, {sc, cc, 0}, {0, 0, 1}};
        return mul(rz, mul(ry, rx));
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                for (int l = 0; l < 3; l++) {
                    c[i][k] += a[i][l] * b[l][k];
                }
            }
        }
        return c;
    }

    /** 1D Gaussian blur along one axis, edge values repeated beyond the border. */
    private static double[] blurAxis(double[] v, int[] shape, int axis, double sigma) {
        int radius = (int) StrictMath.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            k[t + radius] = StrictMath.exp(-0.5 * t * t / (sigma * sigma));
            sum += k[t + radius];
        }
        for (int t = 0; t < k.length; t++) {
            k[t] /= sum;
        }
        int len = shape[axis];
        int inner = 1;
        for (int a = axis + 1; a < 3; a++) {
            inner *= shape[a];
        }
        int outer = v.length / (len * inner);
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                for (int q = 0; q < len; q++) {
                    double acc = 0;
                    for (int t = -radius; t <= radius; t++) {
                        int src = Math.min(len - 1, Math.max(0, q + t));
                        acc += k[t + radius] * v[base + src * inner];
                    }
                    out[base + q * inner] = acc;
                }
            }
        }
        return out;
    }
}
