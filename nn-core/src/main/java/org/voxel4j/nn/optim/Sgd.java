package org.voxel4j.nn.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay:
 * {@code torch.optim.SGD}. With momentum μ: {@code b ← μ·b + (1−dampening)·g} (b = g at the first
 * step), then {@code g ← g + μ·b} (Nesterov) or {@code g ← b}, and {@code p ← p − lr·g}.
 */
public record Sgd(double momentum, double dampening, boolean nesterov, double weightDecay)
        implements Optimizer {

    public Sgd {
        Optimizer.checkNonNegative("momentum", momentum);
        Optimizer.checkNonNegative("dampening", dampening);
        Optimizer.checkNonNegative("weightDecay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(
                    "Nesterov momentum requires momentum > 0 and dampening = 0, got momentum="
                            + momentum
                            + ", dampening="
                            + dampening);
        }
    }

    /** Plain SGD. */
    public static Sgd plain() {
        return new Sgd(0, 0, false, 0);
    }

    /** nnU-Net's optimiser: momentum 0.99, Nesterov. */
    public static Sgd nesterov(double momentum) {
        return new Sgd(momentum, 0, true, 0);
    }

    public Sgd withWeightDecay(double wd) {
        return new Sgd(momentum, dampening, nesterov, wd);
    }

    @Override
    public List<String> stateNames() {
        return momentum > 0 ? List.of("momentum") : List.of();
    }

    @Override
    public void update(
            INDArray param, INDArray grad, Map<String, INDArray> state, double lr, long step) {
        INDArray g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        if (momentum > 0) {
            INDArray buf = state.get("momentum");
            if (step == 1) {
                buf.assign(g);
            } else {
                buf.muli(momentum).addi(g.mul(1 - dampening));
            }
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        param.subi(g.mul(lr));
    }
}
