package org.voxel4j.nn.optim;

import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
    private GradientClipping() {}

    /** The L2 norm of all gradients together. */
    public static double globalNorm(Collection<INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /**
     * Scales every gradient in place by {@code maxNorm/(norm + 1e-6)} when that is below 1.
     *
     * @return the norm before clipping
     */
    public static double clipByGlobalNorm(Collection<INDArray> grads, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(grads);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (INDArray g : grads) {
                g.muli(coef);
            }
        }
        return norm;
    }
}
