package org.voxel4j.nn.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.voxel4j.nn.engine.OptimKernels;

/**
 * Adam (Kingma and Ba, 2015) with L2 weight decay added to the gradient, exactly as {@code
 * torch.optim.Adam}: {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²}, {@code p ← p −
 * lr/(1−β1ᵗ) · m / (sqrt(v)/sqrt(1−β2ᵗ) + ε)}. Dense float/double parameters are updated by one
 * fused Java pass ({@link OptimKernels#adam}); other layouts by ND4J array ops.
 */
public record Adam(double beta1, double beta2, double eps, double weightDecay)
        implements Optimizer {

    public Adam {
        Optimizer.checkBeta("beta1", beta1);
        Optimizer.checkBeta("beta2", beta2);
        Optimizer.checkNonNegative("eps", eps);
        Optimizer.checkNonNegative("weightDecay", weightDecay);
    }

    /** PyTorch defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public static Adam defaults() {
        return new Adam(0.9, 0.999, 1e-8, 0);
    }

    @Override
    public List<String> stateNames() {
        return List.of("m", "v");
    }

    @Override
    public void update(
            INDArray param, INDArray grad, Map<String, INDArray> state, double lr, long step) {
        adamStep(param, grad, state, lr, step, beta1, beta2, eps, weightDecay);
    }

    /** One Adam step; {@code l2} is PyTorch's coupled {@code weight_decay} (0 for none). */
    static void adamStep(
            INDArray param,
            INDArray grad,
            Map<String, INDArray> state,
            double lr,
            long step,
            double beta1,
            double beta2,
            double eps,
            double l2) {
        INDArray m = state.get("m");
        INDArray v = state.get("v");
        if (OptimKernels.supports(param, grad, m, v)) {
            OptimKernels.adam(
                    param,
                    grad,
                    m,
                    v,
                    lr,
                    beta1,
                    beta2,
                    eps,
                    1 - Math.pow(beta1, step),
                    1 - Math.pow(beta2, step),
                    l2);
            return;
        }
        INDArray g = l2 != 0 ? grad.add(param.mul(l2)) : grad;
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        INDArray denom = Transforms.sqrt(v, true).divi(Math.sqrt(bc2)).addi(eps);
        param.subi(m.div(denom).muli(lr / bc1));
    }
}
