package org.voxel4j.volumetric.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Segmentation metrics of a prediction against a reference (METRICS.md, "Segmentation"; the
 * definitions are listed on {@link LabelMetrics}).
 *
 * <p>Arrays are 2D [H, W] or 3D [D, H, W] with {@code spacingMm} giving millimetres per array axis
 * in the same order; a 3D array with one axis of length 1 is measured as 2D. Each label is
 * evaluated on the bounding box of its voxels in either map (exact: every surface voxel lies in
 * it), so small structures in large volumes are cheap.
 */
public final class SegmentationMetrics {
    private SegmentationMetrics() {}

    /** Metrics of two binary masks (true = foreground), reported as label 1. */
    public static LabelMetrics binary(
            boolean[] pred,
            boolean[] ref,
            int[] shape,
            double[] spacingMm,
            SegmentationMetricsConfig cfg) {
        Geometry g = Geometry.of(shape, spacingMm);
        SurfaceDistances.checkLength(pred, g, "pred");
        SurfaceDistances.checkLength(ref, g, "ref");
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        long nA = 0, nB = 0, nAB = 0;
        int[] d = g.dims();
        int p = 0;
        for (int i = 0; i < d[0]; i++) {
            for (int j = 0; j < d[1]; j++) {
                for (int k = 0; k < d[2]; k++, p++) {
                    boolean a = pred[p];
                    boolean b = ref[p];
                    if (a || b) {
                        nA += a ? 1 : 0;
                        nB += b ? 1 : 0;
                        nAB += a && b ? 1 : 0;
                        grow(lo, hi, i, j, k);
                    }
                }
            }
        }
        return evaluate(1, nA, nB, nAB, lo, hi, g, cfg, (idx) -> pred[idx], (idx) -> ref[idx]);
    }

    /** Metrics of two masks given as arrays (non-zero = foreground), reported as label 1. */
    public static LabelMetrics binary(
            INDArray pred, INDArray ref, double[] spacingMm, SegmentationMetricsConfig cfg) {
        int[] shape = sameShape(pred, ref);
        return binary(VoxelArrays.toMask(pred), VoxelArrays.toMask(ref), shape, spacingMm, cfg);
    }

    /**
     * Per-label metrics of two label maps (0 = background). Labels come from {@code cfg}, or are
     * every non-zero value present in either map.
     */
    public static CaseMetrics labelMaps(
            String caseId,
            int[] pred,
            int[] ref,
            int[] shape,
            double[] spacingMm,
            SegmentationMetricsConfig cfg) {
        Geometry g = Geometry.of(shape, spacingMm);
        int n = g.dims()[0] * g.dims()[1] * g.dims()[2];
        if (pred.length != n || ref.length != n) {
            throw new IllegalArgumentException(
                    "case "
                            + caseId
                            + ": label maps have "
                            + pred.length
                            + " and "
                            + ref.length
                            + " voxels, shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n);
        }
        int[] labels = cfg.labels();
        if (labels.length == 0) {
            TreeSet<Integer> present = new TreeSet<>();
            int last = 0;
            for (int v : pred) {
                if (v != 0 && v != last) {
                    present.add(v);
                    last = v;
                }
            }
            last = 0;
            for (int v : ref) {
                if (v != 0 && v != last) {
                    present.add(v);
                    last = v;
                }
            }
            labels = present.stream().mapToInt(Integer::intValue).toArray();
        } else {
            Arrays.sort(labels);
        }
        int m = labels.length;
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i = 0; i < m; i++) {
            slot.put(labels[i], i);
        }
        int[][] lo = new int[m][];
        int[][] hi = new int[m][];
        for (int i = 0; i < m; i++) {
            lo[i] = new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
            hi[i] = new int[] {-1, -1, -1};
        }
        long[] nA = new long[m];
        long[] nB = new long[m];
        long[] nAB = new long[m];
        int[] d = g.dims();
        int p = 0;
        // One pass for counts and boxes; a one-entry cache avoids most map look-ups because
        // neighbouring voxels mostly share a label.
        int cacheLabel = Integer.MIN_VALUE;
        int cacheSlot = -1;
        for (int i = 0; i < d[0]; i++) {
            for (int j = 0; j < d[1]; j++) {
                for (int k = 0; k < d[2]; k++, p++) {
                    int a = pred[p];
                    int b = ref[p];
                    if (a != cacheLabel) {
                        cacheLabel = a;
                        Integer s = slot.get(a);
                        cacheSlot = s == null ? -1 : s;
                    }
                    int sa = cacheSlot;
                    if (sa >= 0) {
                        nA[sa]++;
                        grow(lo[sa], hi[sa], i, j, k);
                        if (a == b) {
                            nB[sa]++;
                            nAB[sa]++;
                            continue;
                        }
                    }
                    if (b != a) {
                        Integer s = slot.get(b);
                        if (s != null) {
                            nB[s]++;
                            grow(lo[s], hi[s], i, j, k);
                        }
                    }
                }
            }
        }
        List<LabelMetrics> out = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            int label = labels[s];
            out.add(
                    evaluate(
                            label,
                            nA[s],
                            nB[s],
                            nAB[s],
                            lo[s],
                            hi[s],
                            g,
                            cfg,
                            (idx) -> pred[idx] == label,
                            (idx) -> ref[idx] == label));
        }
        return new CaseMetrics(caseId, out);
    }

    /**
     * {@link #labelMaps(String, int[], int[], int[], double[], SegmentationMetricsConfig)} on
     * arrays.
     */
    public static CaseMetrics labelMaps(
            String caseId,
            INDArray pred,
            INDArray ref,
            double[] spacingMm,
            SegmentationMetricsConfig cfg) {
        int[] shape = sameShape(pred, ref);
        return labelMaps(
                caseId,
                VoxelArrays.toLabels(pred),
                VoxelArrays.toLabels(ref),
                shape,
                spacingMm,
                cfg);
    }

    private static int[] sameShape(INDArray pred, INDArray ref) {
        int[] a = VoxelArrays.shapeOf(pred);
        int[] b = VoxelArrays.shapeOf(ref);
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(
                    "prediction shape "
                            + Arrays.toString(a)
                            + " differs from reference shape "
                            + Arrays.toString(b));
        }
        return a;
    }

    private static void grow(int[] lo, int[] hi, int i, int j, int k) {
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
    }

    @FunctionalInterface
    private interface VoxelTest {
        boolean test(int flatIndex);
    }

    private static LabelMetrics evaluate(
            int label,
            long nA,
            long nB,
            long nAB,
            int[] lo,
            int[] hi,
            Geometry g,
            SegmentationMetricsConfig cfg,
            VoxelTest inA,
            VoxelTest inB) {
        double volA = nA * g.voxelVolumeMm3() / 1000.0;
        double volB = nB * g.voxelVolumeMm3() / 1000.0;
        EmptyFlag flag = EmptyFlag.of(nA, nB);
        double[] tol = cfg.surfaceDiceTolerancesMm();
        switch (flag) {
            case BOTH:
                return new LabelMetrics(
                        label,
                        flag,
                        0,
                        0,
                        0,
                        1,
                        1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        cfg.surfel() ? new SurfelMetrics(0, tol, filled(tol.length, 1)) : null);
            case MISSING_PRED:
            case MISSING_REF:
                double inf = Double.POSITIVE_INFINITY;
                return new LabelMetrics(
                        label,
                        flag,
                        nA,
                        nB,
                        0,
                        0,
                        0,
                        inf,
                        inf,
                        inf,
                        volA,
                        volB,
                        flag == EmptyFlag.MISSING_PRED ? -1.0 : inf,
                        cfg.surfel() ? new SurfelMetrics(inf, tol, filled(tol.length, 0)) : null);
            default:
                break;
        }
        double dice = 2.0 * nAB / (nA + nB);
        double iou = (double) nAB / (nA + nB - nAB);
        double volumeError = (volA - volB) / volB;

        // Crop both masks to the union bounding box.
        int[] bd = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
        int[] d = g.dims();
        boolean[] a = new boolean[bd[0] * bd[1] * bd[2]];
        boolean[] b = new boolean[a.length];
        int q = 0;
        for (int i = 0; i < bd[0]; i++) {
            for (int j = 0; j < bd[1]; j++) {
                int row = ((lo[0] + i) * d[1] + lo[1] + j) * d[2] + lo[2];
                for (int k = 0; k < bd[2]; k++, q++) {
                    a[q] = inA.test(row + k);
                    b[q] = inB.test(row + k);
                }
            }
        }
        boolean[] sA = SurfaceDistances.surface(a, bd, g.effective());
        boolean[] sB = SurfaceDistances.surface(b, bd, g.effective());
        double[] dAB = SurfaceDistances.directed(sA, sB, bd, g.spacing());
        double[] dBA = SurfaceDistances.directed(sB, sA, bd, g.spacing());
        Arrays.sort(dAB);
        Arrays.sort(dBA);
        double hd95 = Math.max(Percentiles.linear(dAB, 95), Percentiles.linear(dBA, 95));
        double hd100 = Math.max(dAB[dAB.length - 1], dBA[dBA.length - 1]);
        double sum = 0;
        for (double x : dAB) {
            sum += x;
        }
        for (double x : dBA) {
            sum += x;
        }
        double assd = sum / (dAB.length + dBA.length);
        SurfelMetrics surfel = null;
        if (cfg.surfel()) {
            SurfelDistances sd =
                    SurfelDistances.computeOnGrid(a, b, bd, g.effective(), g.spacing());
            double[] sdice = new double[tol.length];
            for (int i = 0; i < tol.length; i++) {
                sdice[i] = sd.surfaceDice(tol[i]);
            }
            surfel = new SurfelMetrics(sd.robustHausdorff(95), tol, sdice);
        }
        return new LabelMetrics(
                label,
                flag,
                nA,
                nB,
                nAB,
                dice,
                iou,
                hd95,
                hd100,
                assd,
                volA,
                volB,
                volumeError,
                surfel);
    }

    private static double[] filled(int n, double v) {
        double[] x = new double[n];
        Arrays.fill(x, v);
        return x;
    }
}
