package org.voxel4j.nn.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay, as {@code
 * torch.optim.AdamW}: {@code p ← p·(1 − lr·λ)} before the Adam step.
 */
public record AdamW(double beta1, double beta2, double eps, double weightDecay)
        implements Optimizer {

    public AdamW {
        Optimizer.checkBeta("beta1", beta1);
        Optimizer.checkBeta("beta2", beta2);
        Optimizer.checkNonNegative("eps", eps);
        Optimizer.checkNonNegative("weightDecay", weightDecay);
    }

    /** PyTorch defaults: β = (0.9, 0.999), ε = 1e-8, λ = 0.01. */
    public static AdamW defaults() {
        return new AdamW(0.9, 0.999, 1e-8, 0.01);
    }

    @Override
    public List<String> stateNames() {
        return List.of("m", "v");
    }

    @Override
    public void update(
            INDArray param, INDArray grad, Map<String, INDArray> state, double lr, long step) {
        if (weightDecay != 0) {
            param.muli(1 - lr * weightDecay);
        }
        Adam.adamStep(param, grad, state, lr, step, beta1, beta2, eps, 0);
    }
}
