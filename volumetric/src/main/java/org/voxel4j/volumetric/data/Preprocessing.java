package org.voxel4j.volumetric.data;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.volumetric.transforms.Orientation;
import org.voxel4j.volumetric.transforms.Resample;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * CT preprocessing applied to {@link Volume}s before training and inference, in this order:
 *
 * <ol>
 *   <li>reorientation to canonical RAS+ ({@link Orientation}; optional);
 *   <li>resampling to {@code targetSpacingMm} (array order D, H, W): trilinear for images, nearest
 *       for labels ({@link Resample#toSpacing}: physical extent kept, voxel edges aligned); the
 *       affine is updated so every voxel keeps its world position;
 *   <li>intensity normalisation per channel: {@link Intensity#WINDOW} clips to [{@code lowHu},
 *       {@code highHu}] and maps it to [0, 1]; {@link Intensity#ZSCORE} standardises each volume by
 *       its own mean and standard deviation after clipping to [{@code lowHu}, {@code highHu}];
 *       {@link Intensity#CT} clips and standardises with fixed statistics ({@code mean}, {@code
 *       std}, nnU-Net's CT scheme with statistics from the training set, see {@link
 *       #withCtStatistics}); {@link Intensity#NONE} leaves values as they are.
 * </ol>
 *
 * The record is the configuration stored in a checkpoint header, so {@code predict(checkpoint,
 * volume)} repeats exactly what training did; {@link Geometry} records what was done to one volume
 * so predictions can be mapped back onto its grid.
 *
 * @param intensity normalisation
 * @param lowHu lower clip (HU)
 * @param highHu upper clip (HU)
 * @param mean CT mode: value subtracted after clipping
 * @param std CT mode: divisor after subtracting the mean (> 0)
 * @param targetSpacingMm spacing to resample to, array order (D, H, W); null keeps the spacing
 * @param reorient whether to reorient to RAS+ first
 */
public record Preprocessing(
        Intensity intensity,
        double lowHu,
        double highHu,
        double mean,
        double std,
        List<Double> targetSpacingMm,
        boolean reorient) {

    /** Intensity normalisation modes. */
    public enum Intensity {
        NONE,
        WINDOW,
        ZSCORE,
        CT
    }

    public Preprocessing {
        if (intensity == null) {
            throw new IllegalArgumentException("intensity must not be null");
        }
        if (!(highHu > lowHu) || Double.isInfinite(lowHu) || Double.isInfinite(highHu)) {
            throw new IllegalArgumentException(
                    "clip range [" + lowHu + ", " + highHu + "] HU; expected finite low < high");
        }
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException(
                    "CT statistics mean " + mean + ", std " + std + "; expected finite, std > 0");
        }
        if (targetSpacingMm != null) {
            if (targetSpacingMm.size() != 3) {
                throw new IllegalArgumentException(
                        "targetSpacingMm " + targetSpacingMm + "; expected 3 values (D, H, W)");
            }
            for (Double s : targetSpacingMm) {
                if (s == null || !(s > 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException(
                            "targetSpacingMm " + targetSpacingMm + "; expected finite values > 0");
                }
            }
            targetSpacingMm = List.copyOf(targetSpacingMm);
        }
    }

    /** Window [low, high] HU to [0, 1], reorientation to RAS, spacing kept. */
    public static Preprocessing window(double lowHu, double highHu) {
        return new Preprocessing(Intensity.WINDOW, lowHu, highHu, 0, 1, null, true);
    }

    /** nnU-Net's CT scheme with the given clip range and statistics. */
    public static Preprocessing ct(double lowHu, double highHu, double mean, double std) {
        return new Preprocessing(Intensity.CT, lowHu, highHu, mean, std, null, true);
    }

    public Preprocessing withTargetSpacing(double d, double h, double w) {
        return new Preprocessing(intensity, lowHu, highHu, mean, std, List.of(d, h, w), reorient);
    }

    public Preprocessing withReorient(boolean r) {
        return new Preprocessing(intensity, lowHu, highHu, mean, std, targetSpacingMm, r);
    }

    /**
     * nnU-Net's CT normalisation fitted to training data: the clip range is the 0.5th and 99.5th
     * percentile of the foreground (label &gt; 0) intensities, mean and std are those of the
     * clipped foreground intensities (population std).
     *
     * @param images HU volumes ({@code [D, H, W]} or {@code [1, D, H, W]})
     * @param labels label maps of the same spatial shapes
     */
    public Preprocessing withCtStatistics(List<INDArray> images, List<INDArray> labels) {
        if (images.size() != labels.size() || images.isEmpty()) {
            throw new IllegalArgumentException(
                    "need one label map per image, got "
                            + images.size()
                            + " images and "
                            + labels.size()
                            + " label maps");
        }
        int total = 0;
        List<float[]> fg = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            float[] v = VoxelArrays.toFloats(images.get(i));
            int[] l = VoxelArrays.toLabels(labels.get(i));
            if (v.length != l.length) {
                throw new IllegalArgumentException(
                        "image " + i + " has " + v.length + " voxels, its label map " + l.length);
            }
            int n = 0;
            for (int x : l) {
                n += x > 0 ? 1 : 0;
            }
            float[] f = new float[n];
            for (int j = 0, k = 0; j < l.length; j++) {
                if (l[j] > 0) {
                    f[k++] = v[j];
                }
            }
            fg.add(f);
            total += n;
        }
        if (total == 0) {
            throw new IllegalArgumentException("no foreground voxel in the training labels");
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] f : fg) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        Arrays.sort(all);
        double lo = percentile(all, 0.5);
        double hi = percentile(all, 99.5);
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double s = 0;
        for (float v : all) {
            s += Math.min(hi, Math.max(lo, v));
        }
        double m = s / total;
        double ss = 0;
        for (float v : all) {
            double d = Math.min(hi, Math.max(lo, v)) - m;
            ss += d * d;
        }
        double sd = Math.max(Math.sqrt(ss / total), 1e-8);
        return new Preprocessing(Intensity.CT, lo, hi, m, sd, targetSpacingMm, reorient);
    }

    /** numpy.percentile with linear interpolation on sorted values. */
    static double percentile(float[] sorted, double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /**
     * What preprocessing did to one volume.
     *
     * @param originalShape spatial shape of the input, [D, H, W]
     * @param originalAffine RAS+ affine of the input
     * @param orientation the reorientation (identity when disabled)
     * @param shape spatial shape after preprocessing
     * @param spacingMm spacing after preprocessing, array order
     * @param affine RAS+ affine of the preprocessed array
     */
    public record Geometry(
            int[] originalShape,
            double[][] originalAffine,
            Orientation.Transform orientation,
            int[] shape,
            double[] spacingMm,
            double[][] affine) {

        /**
         * Maps per-class values on the preprocessed grid ({@code [K, *shape]}) back onto the
         * original grid ({@code [K, *originalShape]}): linear resampling (for probabilities or
         * logits, as nnU-Net does before the argmax), then the inverse reorientation.
         */
        public INDArray toOriginal(INDArray values) {
            int[] oriented = orientation.newShape();
            INDArray v = values;
            if (!Arrays.equals(shape, oriented)) {
                v = Resample.resize(v, oriented, Resample.Interpolation.LINEAR);
            }
            return orientation.inverse().apply(v);
        }

        /** Maps a label map on the preprocessed grid back with nearest-neighbour resampling. */
        public INDArray labelsToOriginal(INDArray labels) {
            int[] oriented = orientation.newShape();
            INDArray v = labels;
            if (!Arrays.equals(shape, oriented)) {
                v = Resample.resize(v, oriented, Resample.Interpolation.NEAREST);
            }
            return orientation.inverse().apply(v);
        }

        /**
         * The voxel of the preprocessed grid containing the centre of original voxel {@code idx}.
         */
        public int[] toPreprocessedIndex(int[] idx) {
            int[] o = orientation.mapIndex(idx);
            int[] oriented = orientation.newShape();
            int[] out = new int[3];
            for (int a = 0; a < 3; a++) {
                // voxel edges aligned: original centre i + 0.5 in units of the new voxel size
                double scale = (double) shape[a] / oriented[a];
                out[a] = Math.min(shape[a] - 1, (int) Math.floor((o[a] + 0.5) * scale));
            }
            return out;
        }
    }

    /** A preprocessed image {@code [C, D, H, W]} (FLOAT) and its geometry. */
    public record Prepared(INDArray image, Geometry geometry) {}

    /** Preprocesses an image volume ({@code [D, H, W]} or {@code [C, D, H, W]}, in HU for CT). */
    public Prepared image(Volume v) {
        INDArray data = v.data();
        if (data.rank() != 3 && data.rank() != 4) {
            throw new IllegalArgumentException(
                    "preprocessing needs a 3D volume [D, H, W] or [C, D, H, W], got shape "
                            + Arrays.toString(data.shape()));
        }
        INDArray x =
                data.rank() == 3 ? data.reshape(1, data.size(0), data.size(1), data.size(2)) : data;
        int[] shape = VoxelArrays.shapeOf(x);
        int[] spatial = Arrays.copyOfRange(shape, 1, 4);
        double[][] aff = v.affine();
        Orientation.Transform o =
                reorient
                        ? Orientation.toRas(aff, spatial)
                        : new Orientation.Transform(new int[] {0, 1, 2}, new boolean[3], spatial);
        x = o.apply(x.castTo(DataType.FLOAT));
        double[][] a = o.affine(aff);
        double[] spacing = spacingDhw(a);
        int[] oriented = o.newShape();
        if (targetSpacingMm != null) {
            double[] t = targetSpacingMm.stream().mapToDouble(Double::doubleValue).toArray();
            Resample.Resampled r = Resample.toSpacing(x, spacing, t, Resample.Interpolation.LINEAR);
            x = r.data();
            int[] now = Arrays.copyOfRange(VoxelArrays.shapeOf(x), 1, 4);
            a = resampledAffine(a, oriented, now);
            spacing = r.spacingMm();
        }
        x = normalise(x);
        int[] finalShape = Arrays.copyOfRange(VoxelArrays.shapeOf(x), 1, 4);
        return new Prepared(x, new Geometry(spatial, aff, o, finalShape, spacing, a));
    }

    /** Applies the geometry of a preprocessed image to its label map (nearest neighbour, INT32). */
    public INDArray label(Volume label, Geometry g) {
        INDArray l = label.data();
        if (l.rank() == 4 && l.size(0) == 1) {
            l = l.reshape(l.size(1), l.size(2), l.size(3));
        }
        int[] shape = VoxelArrays.shapeOf(l);
        if (!Arrays.equals(shape, g.originalShape())) {
            throw new IllegalArgumentException(
                    "label shape "
                            + Arrays.toString(shape)
                            + " differs from the image's spatial shape "
                            + Arrays.toString(g.originalShape()));
        }
        INDArray x = VoxelArrays.fromInts(VoxelArrays.toLabels(l), shape);
        x = g.orientation().apply(x);
        if (!Arrays.equals(g.orientation().newShape(), g.shape())) {
            x = Resample.resize(x, g.shape(), Resample.Interpolation.NEAREST);
        }
        return x;
    }

    private INDArray normalise(INDArray x) {
        if (intensity == Intensity.NONE) {
            return x;
        }
        int[] shape = VoxelArrays.shapeOf(x);
        float[] v = VoxelArrays.toFloats(x);
        int channels = shape[0];
        int n = v.length / channels;
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int i = 0; i < n; i++) {
                v[base + i] = (float) Math.min(highHu, Math.max(lowHu, v[base + i]));
            }
            switch (intensity) {
                case WINDOW -> {
                    double w = highHu - lowHu;
                    for (int i = 0; i < n; i++) {
                        v[base + i] = (float) ((v[base + i] - lowHu) / w);
                    }
                }
                case CT -> {
                    for (int i = 0; i < n; i++) {
                        v[base + i] = (float) ((v[base + i] - mean) / std);
                    }
                }
                case ZSCORE -> {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += v[base + i];
                    }
                    double m = s / n;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        double d = v[base + i] - m;
                        ss += d * d;
                    }
                    double sd = Math.max(Math.sqrt(ss / n), 1e-8);
                    for (int i = 0; i < n; i++) {
                        v[base + i] = (float) ((v[base + i] - m) / sd);
                    }
                }
                default -> throw new IllegalStateException("unreachable");
            }
        }
        return VoxelArrays.fromFloats(v, shape);
    }

    /** The value an image takes after normalisation where it is padded with air (-1000 HU). */
    public double airValue() {
        double air = Math.min(highHu, Math.max(lowHu, -1000));
        return switch (intensity) {
            case NONE -> -1000;
            case WINDOW -> (air - lowHu) / (highHu - lowHu);
            case CT -> (air - mean) / std;
            case ZSCORE -> 0;
        };
    }

    static double[] spacingDhw(double[][] a) {
        double[] s = new double[3];
        for (int c = 0; c < 3; c++) {
            s[2 - c] = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
        }
        return s;
    }

    /**
     * The affine after resizing array axes from {@code before} to {@code after} voxels with edges
     * aligned: new index j sits at old index {@code s j + (s - 1) / 2}, {@code s = n / m}.
     */
    static double[][] resampledAffine(double[][] a, int[] before, int[] after) {
        double[][] t = new double[4][4];
        t[3][3] = 1;
        for (int arr = 0; arr < 3; arr++) {
            int file = 2 - arr;
            double s = (double) before[arr] / after[arr];
            t[file][file] = s;
            t[file][3] = (s - 1) / 2;
        }
        double[][] c = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 4; k++) {
                    c[i][j] += a[i][k] * t[k][j];
                }
            }
        }
        return c;
    }
}
