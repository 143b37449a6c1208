package org.voxel4j.recon.project;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear CT projector {@code A}: maps an image or volume (row-major, {@link #volumeShape()}) to
 * line integrals (row-major, {@link #projectionShape()}), with its exact adjoint {@code Aᵀ}: the
 * implementations apply the same list of (voxel, weight) pairs per ray in both directions, so
 * {@code ⟨A x, y⟩ = ⟨x, Aᵀ y⟩} holds to rounding.
 *
 * <p>Entry points on {@code double[]}, {@code float[]} and {@link INDArray}; the array methods
 * overwrite their output. They run multi-threaded over views ({@link org.voxel4j.recon.Parallel}).
 * {@link org.voxel4j.recon.nn.ProjectionOp} puts {@code A} into SameDiff graphs (its gradient is
 * {@code Aᵀ}).
 */
public interface Projector {
    /** {@code [H, W]} or {@code [D, H, W]}. */
    int[] volumeShape();

    /** {@code [views, detectors]} or {@code [views, rows, cols]}. */
    int[] projectionShape();

    /** Number of views. */
    default int views() {
        return projectionShape()[0];
    }

    /** Number of voxels. */
    default int volumeSize() {
        return product(volumeShape());
    }

    /** Number of projection values. */
    default int projectionSize() {
        return product(projectionShape());
    }

    /** Projection values per view. */
    default int valuesPerView() {
        return projectionSize() / views();
    }

    /** {@code proj = A vol}. */
    void forward(double[] vol, double[] proj);

    /** The matrix {@code A} in CSR form (rays × voxels), the weights this projector applies. */
    SystemMatrix matrix();

    /** {@code vol = Aᵀ proj}. */
    void adjoint(double[] proj, double[] vol);

    /** {@code proj = A vol}; accumulation in double per ray. */
    void forward(float[] vol, float[] proj);

    /** {@code vol = Aᵀ proj}. */
    void adjoint(float[] proj, float[] vol);

    /**
     * Projects only the listed views: their rows of {@code proj} (full-size) are overwritten, the
     * other rows are left as they are (ordered subsets for OS-SART).
     */
    void forward(double[] vol, double[] proj, int[] views);

    /**
     * {@code vol = A_Sᵀ proj_S}: the adjoint restricted to the listed views of a full-size proj.
     */
    void adjoint(double[] proj, double[] vol, int[] views);

    /**
     * {@code A vol} for an INDArray of shape {@link #volumeShape()}; returns a new C-order array of
     * {@link #projectionShape()}, DOUBLE for a DOUBLE input and FLOAT for any other type (which is
     * converted to FLOAT first).
     */
    default INDArray forward(INDArray vol) {
        checkShape("volume", vol, volumeShape());
        if (vol.dataType() == DataType.DOUBLE) {
            double[] out = new double[projectionSize()];
            forward(vol.dup('c').data().asDouble(), out);
            return Nd4j.create(out, toLong(projectionShape()), 'c');
        }
        float[] out = new float[projectionSize()];
        forward(vol.castTo(DataType.FLOAT).dup('c').data().asFloat(), out);
        return Nd4j.create(out, toLong(projectionShape()), 'c');
    }

    /**
     * {@code Aᵀ proj} for an INDArray of shape {@link #projectionShape()}; DOUBLE stays DOUBLE,
     * anything else is computed and returned as FLOAT.
     */
    default INDArray adjoint(INDArray proj) {
        checkShape("projection", proj, projectionShape());
        if (proj.dataType() == DataType.DOUBLE) {
            double[] out = new double[volumeSize()];
            adjoint(proj.dup('c').data().asDouble(), out);
            return Nd4j.create(out, toLong(volumeShape()), 'c');
        }
        float[] out = new float[volumeSize()];
        adjoint(proj.castTo(DataType.FLOAT).dup('c').data().asFloat(), out);
        return Nd4j.create(out, toLong(volumeShape()), 'c');
    }

    private static void checkShape(String what, INDArray a, int[] expected) {
        long[] s = a.shape();
        boolean ok = s.length == expected.length;
        for (int i = 0; ok && i < s.length; i++) {
            ok = s[i] == expected[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    what
                            + " has shape "
                            + Arrays.toString(s)
                            + ", the projector expects "
                            + Arrays.toString(expected));
        }
    }

    private static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }

    private static int product(int[] s) {
        int p = 1;
        for (int v : s) {
            p *= v;
        }
        return p;
    }
}
