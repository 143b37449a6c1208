package org.voxel4j.nn.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Optimiser updates as one fused pass per parameter (no temporaries), in the arrays' precision. */
public final class OptimKernels {
    private OptimKernels() {}

    /** Whether the arrays can be updated by these kernels (dense, same type, FLOAT or DOUBLE). */
    public static boolean supports(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!Buf.dense(a)
                    || a.dataType() != arrays[0].dataType()
                    || a.length() != arrays[0].length()
                    || !(a.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT
                            || a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One Adam step in place, {@code torch.optim.Adam}'s arithmetic: {@code g ← grad + wd·p} (L2,
     * if {@code l2 != 0}), {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²}, {@code p ← p
     * − (lr/bc1) · m / (sqrt(v)/sqrt(bc2) + ε)}. Callers check {@link #supports} first.
     */
    public static void adam(
            INDArray param,
            INDArray grad,
            INDArray m,
            INDArray v,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double bc1,
            double bc2,
            double l2) {
        Buf p = Buf.of(param);
        Buf g = Buf.of(grad);
        Buf mb = Buf.of(m);
        Buf vb = Buf.of(v);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        if (p instanceof Buf.F32 pf) {
            FloatBuffer pp = pf.b;
            FloatBuffer gg = ((Buf.F32) g).b;
            FloatBuffer mm = ((Buf.F32) mb).b;
            FloatBuffer vv = ((Buf.F32) vb).b;
            float b1 = (float) beta1;
            float c1 = (float) (1 - beta1);
            float b2 = (float) beta2;
            float c2 = (float) (1 - beta2);
            float wd = (float) l2;
            float sb = (float) sqrtBc2;
            float e = (float) eps;
            float ss = (float) stepSize;
            for (int i = 0; i < p.n; i++) {
                float gi = gg.get(i);
                if (wd != 0) {
                    gi += pp.get(i) * wd;
                }
                float mi = mm.get(i) * b1 + gi * c1;
                float vi = vv.get(i) * b2 + gi * gi * c2;
                mm.put(i, mi);
                vv.put(i, vi);
                float denom = (float) Math.sqrt(vi) / sb + e;
                pp.put(i, pp.get(i) - mi / denom * ss);
            }
        } else {
            DoubleBuffer pp = ((Buf.F64) p).b;
            DoubleBuffer gg = ((Buf.F64) g).b;
            DoubleBuffer mm = ((Buf.F64) mb).b;
            DoubleBuffer vv = ((Buf.F64) vb).b;
            for (int i = 0; i < p.n; i++) {
                double gi = gg.get(i);
                if (l2 != 0) {
                    gi += pp.get(i) * l2;
                }
                double mi = mm.get(i) * beta1 + gi * (1 - beta1);
                double vi = vv.get(i) * beta2 + gi * gi * (1 - beta2);
                mm.put(i, mi);
                vv.put(i, vi);
                double denom = Math.sqrt(vi) / sqrtBc2 + eps;
                pp.put(i, pp.get(i) - mi / denom * stepSize);
            }
        }
    }
}
