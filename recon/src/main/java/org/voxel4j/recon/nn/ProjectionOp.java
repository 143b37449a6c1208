package org.voxel4j.recon.nn;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.SystemMatrix;

/**
 * A CT forward projection {@code y = A x} as a differentiable op inside SameDiff graphs, e.g. for a
 * projection-domain loss (TAMP). Its gradient is the exact adjoint: {@code ∂L/∂x = Aᵀ ∂L/∂y}, with
 * the same weights as {@link Projector#forward} / {@link Projector#adjoint}.
 *
 * <p><b>How.</b> ND4J 1.0.0-M2.1 offers no way to give a SameDiff op a Java forward and backward
 * (custom ops dispatch to native code by name), and its sparse-friendly candidates fail: {@code
 * gather}'s backward is wrong (measured: errors of order 1 on a 5×2 example, and 10 s per step at
 * 64² — ND4J-NOTES.md), {@code gatherNd} has no backward. So {@code A} is stored as a dense
 * constant {@code Aᵀ [voxels, rays]} (built from the projector's {@link Projector#matrix() CSR
 * matrix}) and applied with {@code mmul}, whose backward is the transposed product. The op is
 * therefore exact but only practical for small problems.
 *
 * <p><b>Size limits (measured with float32 graphs, 2 OpenMP threads, on the shared 2-core machine
 * under load).</b> Memory is {@code voxels · rays · 4} bytes (×2 in double) per graph, plus about
 * the same again during each backward pass: ND4J's matmul backward also computes the (discarded)
 * gradient of the constant. A 64² image with 90 views × 91 detectors: 127 MiB, built in ~1 s,
 * forward 36–43 ms and forward + backward 155–225 ms for a batch of 1–4. A 32² image with 45 × 47:
 * 8 MiB, forward ~17 ms, forward + backward ~130 ms (overhead-dominated). A 128² image with 180 ×
 * 183 would need 2 GiB and is refused by the default limit ({@link #DEFAULT_MAX_BYTES} = 512 MiB).
 *
 * <p>Input {@code [N, C, H, W]} (or {@code [N, C, D, H, W]} for a cone-beam projector), output
 * {@code [N, C, views, detectors]} (or {@code [N, C, views, rows, cols]}).
 */
public final class ProjectionOp {
    /** Default cap on the dense matrix: 512 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    private final int[] volumeShape;
    private final int[] projectionShape;
    private final double[] transposed; // [voxels, rays] row-major
    private final int voxels;
    private final int rays;

    private ProjectionOp(Projector p, long maxBytes) {
        this.volumeShape = p.volumeShape();
        this.projectionShape = p.projectionShape();
        this.voxels = p.volumeSize();
        this.rays = p.projectionSize();
        long entries = (long) voxels * rays;
        if (entries * 8 > maxBytes || entries > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "a differentiable projection of a "
                            + Arrays.toString(volumeShape)
                            + " volume to "
                            + Arrays.toString(projectionShape)
                            + " needs a dense "
                            + voxels
                            + " x "
                            + rays
                            + " matrix ("
                            + (entries * 8 >> 20)
                            + " MiB in double), more than the limit of "
                            + (maxBytes >> 20)
                            + " MiB; use fewer views, detectors or pixels");
        }
        SystemMatrix m = p.matrix();
        transposed = new double[(int) entries];
        for (int r = 0; r < m.rows(); r++) {
            for (int k = m.rowStart()[r]; k < m.rowStart()[r + 1]; k++) {
                transposed[m.columns()[k] * rays + r] += m.values()[k];
            }
        }
    }

    /** The op for {@code projector}, with the default memory limit. */
    public static ProjectionOp of(Projector projector) {
        return of(projector, DEFAULT_MAX_BYTES);
    }

    /** The op for {@code projector}; refuses matrices above {@code maxBytes} (in double). */
    public static ProjectionOp of(Projector projector, long maxBytes) {
        if (projector == null) {
            throw new IllegalArgumentException("projector must not be null");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        return new ProjectionOp(projector, maxBytes);
    }

    /** Bytes of the dense matrix constant in a graph of type {@code dataType}. */
    public long matrixBytes(DataType dataType) {
        return (long) voxels * rays * dataType.width();
    }

    public int[] volumeShape() {
        return volumeShape.clone();
    }

    public int[] projectionShape() {
        return projectionShape.clone();
    }

    /**
     * {@code A x} of {@code x [N, C, *volumeShape]} as {@code [N, C, *projectionShape]}. The dense
     * matrix becomes a constant of {@code sd} (cast to {@code dataType}); call this once per graph
     * and reuse the result, or the constant is added again.
     */
    public SDVariable apply(SameDiff sd, SDVariable x, DataType dataType) {
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException(
                    "the projection needs a floating-point type, got " + dataType);
        }
        INDArray mt = Nd4j.create(transposed, new long[] {voxels, rays}, 'c').castTo(dataType);
        SDVariable m = sd.constant(mt);
        SDVariable shape = sd.shape(x);
        SDVariable flat = sd.reshape(x, Shapes.longs(sd, -1, voxels));
        SDVariable y = sd.mmul(flat, m);
        long[] add = new long[2 + projectionShape.length];
        for (int i = 0; i < projectionShape.length; i++) {
            add[2 + i] = projectionShape[i];
        }
        // [N, C] from the input's shape, the projection dims as constants
        SDVariable nc = Shapes.dims(sd, shape, 0, 2);
        SDVariable target =
                Shapes.padVector(sd, nc, 0, projectionShape.length, 0).add(Shapes.longs(sd, add));
        return sd.reshape(y, target);
    }
}
