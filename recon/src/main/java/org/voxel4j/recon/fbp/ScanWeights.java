package org.voxel4j.recon.fbp;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.voxel4j.recon.geometry.Angles;

/** The parts {@link Fbp} and {@link Fdk} share: angular weights and the non-double entry points. */
final class ScanWeights {
    private ScanWeights() {}

    /**
     * The angular sampling of a scan.
     *
     * @param coverage the covered range ({@link Angles#coverage}); π for a single view, which is
     *     weighted like one view of a 180° scan
     * @param step coverage / views, the angular weight of one view
     * @param start the smallest angle
     */
    record Arc(double coverage, double step, double start) {
        static Arc of(double[] angles) {
            double coverage = angles.length == 1 ? Math.PI : Angles.coverage(angles);
            return new Arc(
                    coverage, coverage / angles.length, Arrays.stream(angles).min().orElse(0));
        }

        /** Source angle β of a view measured from the start of the scan, mid-step. */
        double beta(double angle) {
            return angle - start + 0.5 * step;
        }
    }

    /**
     * Redundancy weighting of a fan- or cone-beam scan: 1/2 for a scan covering 2π, Parker's
     * weights ({@link Fbp#parker}) for a short scan covering π + 2δ or more (δ the half fan angle),
     * none (1, with a warning) for a shorter scan.
     */
    record Redundancy(Arc arc, boolean full, boolean parker, double overscan) {
        /**
         * @param scan "fan" or "cone", for the warning
         * @param log the reconstructor's logger
         */
        static Redundancy of(Arc arc, double halfFanAngle, String scan, Logger log) {
            double coverage = arc.coverage();
            boolean full = coverage >= 2 * Math.PI * (1 - 1e-9);
            double overscan = 0.5 * (coverage - Math.PI);
            boolean parker = !full && overscan >= halfFanAngle * (1 - 1e-9);
            if (!full && !parker) {
                log.warn(
                        "{}-beam scan covers {} degrees, less than 180 + fan angle ({} degrees):"
                                + " no redundancy weighting, expect limited-angle artefacts",
                        scan,
                        Math.toDegrees(coverage),
                        180 + Math.toDegrees(2 * halfFanAngle));
            }
            return new Redundancy(arc, full, parker, overscan);
        }

        /** The weight of the ray at fan angle γ of the view at {@code angle}. */
        double weight(double angle, double gamma) {
            return full ? 0.5 : parker ? Fbp.parker(arc.beta(angle), gamma, overscan) : 1;
        }
    }

    /** {@code data · weight}, elementwise, ramp-filtered in rows of the filter's length. */
    static double[] weightAndFilter(double[] data, double[] weight, RampFilter ramp, int rows) {
        double[] q = new double[data.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = data[i] * weight[i];
        }
        ramp.apply(q, rows);
        return q;
    }

    /** The float entry point of a reconstructor: computed in double by {@code f}. */
    static float[] viaDouble(float[] in, UnaryOperator<double[]> f) {
        double[] d = new double[in.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = in[i];
        }
        double[] r = f.apply(d);
        float[] out = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = (float) r[i];
        }
        return out;
    }

    /**
     * The INDArray entry point of a reconstructor: checks the shape, computes in double by {@code
     * f} and returns an array of {@code outShape} in the input's data type.
     *
     * @param what subject of the shape error, e.g. "sinogram has"
     */
    static INDArray viaDouble(
            INDArray in, long[] expected, String what, long[] outShape, UnaryOperator<double[]> f) {
        long[] s = in.shape();
        if (!Arrays.equals(s, expected)) {
            throw new IllegalArgumentException(
                    what
                            + " shape "
                            + Arrays.toString(s)
                            + ", expected "
                            + Arrays.toString(expected));
        }
        double[] r = f.apply(in.castTo(DataType.DOUBLE).dup('c').data().asDouble());
        INDArray out = Nd4j.create(r, outShape, 'c');
        return in.dataType() == DataType.DOUBLE ? out : out.castTo(in.dataType());
    }
}
