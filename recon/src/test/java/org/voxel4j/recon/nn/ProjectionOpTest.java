package org.voxel4j.recon.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.Projectors;

/**
 * The differentiable projection against the Java projectors it is built from: forward values,
 * gradients equal to the projector's adjoint (so {@code ⟨A x, y⟩ = ⟨x, Aᵀ y⟩} with the existing
 * {@code Aᵀ}), central-difference gradient checks, and the size limit.
 */
class ProjectionOpTest {

    static List<Projector> projectors() {
        ParallelBeam2d par = ParallelBeam2d.uniform(7, 180, 13);
        FanBeam2d fan = FanBeam2d.uniform(9, 360, 15, 30, 60, DetectorShape.FLAT);
        return List.of(
                Projectors.joseph(par, ImageGrid2d.square(8)),
                Projectors.siddon(par, new ImageGrid2d(8, 7, 1.0)),
                Projectors.joseph(fan, ImageGrid2d.square(8)));
    }

    @Test
    void forwardAndGradientEqualTheProjectorAndItsAdjoint() {
        for (Projector p : projectors()) {
            ProjectionOp op = ProjectionOp.of(p);
            int[] vs = p.volumeShape();
            int[] ps = p.projectionShape();
            Nd4j.getRandom().setSeed(11);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, vs[0], vs[1]);
            INDArray w = Nd4j.randn(DataType.DOUBLE, 2, 1, ps[0], ps[1]);
            SameDiff sd = SameDiff.create();
            SDVariable xv = sd.var("x", x);
            SDVariable y = op.apply(sd, xv, DataType.DOUBLE);
            SDVariable inner = y.mul(sd.constant(w)).sum();
            sd.setLossVariables(inner);
            INDArray out = y.eval();
            INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");
            for (int n = 0; n < 2; n++) {
                INDArray xi = x.get(NDArrayIndex.point(n), NDArrayIndex.point(0)).dup();
                INDArray wi = w.get(NDArrayIndex.point(n), NDArrayIndex.point(0)).dup();
                INDArray ax = p.forward(xi);
                INDArray atw = p.adjoint(wi);
                INDArray yi = out.get(NDArrayIndex.point(n), NDArrayIndex.point(0));
                INDArray gi = grad.get(NDArrayIndex.point(n), NDArrayIndex.point(0));
                assertThat(yi.sub(ax).amaxNumber().doubleValue())
                        .isLessThan(1e-12 * Math.max(1, ax.amaxNumber().doubleValue()));
                assertThat(gi.sub(atw).amaxNumber().doubleValue())
                        .isLessThan(1e-12 * Math.max(1, atw.amaxNumber().doubleValue()));
                // <A x, w> computed by the op equals <x, A^T w> of the projector
                double lhs = yi.mul(wi).sumNumber().doubleValue();
                double rhs = xi.mul(atw).sumNumber().doubleValue();
                assertThat(Math.abs(lhs - rhs)).isLessThan(1e-10 * Math.max(1, Math.abs(rhs)));
            }
        }
    }

    @Test
    void gradientCheck() {
        Projector p = Projectors.joseph(ParallelBeam2d.uniform(5, 180, 9), ImageGrid2d.square(6));
        ProjectionOp op = ProjectionOp.of(p);
        Nd4j.getRandom().setSeed(12);
        GradientCheck.check(
                        (sd, v) -> op.apply(sd, v.get("x"), DataType.DOUBLE),
                        Map.of("x", Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 6)))
                .assertPasses(1e-8);
    }

    @Test
    void coneBeamVolumes() {
        ConeBeam3d g = ConeBeam3d.uniform(4, 360, 5, 6, 1.0, 20, 40);
        Projector p = Projectors.joseph(g, VolumeGrid3d.cube(5));
        ProjectionOp op = ProjectionOp.of(p);
        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 5, 5, 5);
        SameDiff sd = SameDiff.create();
        INDArray y = op.apply(sd, sd.constant(x), DataType.FLOAT).eval();
        assertThat(y.shape()).containsExactly(1, 1, 4, 5, 6);
        INDArray ref = p.forward(x.get(NDArrayIndex.point(0), NDArrayIndex.point(0)).dup());
        assertThat(
                        y.get(NDArrayIndex.point(0), NDArrayIndex.point(0))
                                .sub(ref)
                                .amaxNumber()
                                .doubleValue())
                .isLessThan(1e-4);
    }

    @Test
    void tooLargeMatricesAreRefusedWithTheSizes() {
        Projector p =
                Projectors.joseph(ParallelBeam2d.uniform(180, 180, 183), ImageGrid2d.square(128));
        assertThatThrownBy(() -> ProjectionOp.of(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16384 x 32940")
                .hasMessageContaining("limit of 512 MiB");
    }
}
