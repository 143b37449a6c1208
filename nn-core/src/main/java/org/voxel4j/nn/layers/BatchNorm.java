package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Norms;

/**
 * PyTorch's {@code nn.BatchNorm{1,2,3}d(channels, eps, momentum, affine)} (Ioffe and Szegedy,
 * 2015): batch statistics in training, running statistics (buffers {@code running_mean}, {@code
 * running_var}) in evaluation; running statistics follow {@code r ← (1−m)·r + m·batch} with the
 * unbiased batch variance, updated by the trainer after each step.
 */
public record BatchNorm(int channels, double eps, double momentum, boolean affine)
        implements Module {

    public BatchNorm {
        Dims.checkPositive("BatchNorm", "channels", channels);
        Norms1.checkEps("BatchNorm", eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(
                    "BatchNorm momentum must be in [0, 1], got " + momentum);
        }
    }

    /** PyTorch defaults: eps 1e-5, momentum 0.1, affine. */
    public static BatchNorm of(int channels) {
        return new BatchNorm(channels, 1e-5, 0.1, true);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = affine ? s.param("weight", Init.ones(), channels) : null;
        SDVariable b = affine ? s.param("bias", Init.zeros(), channels) : null;
        SDVariable rm = s.buffer("running_mean", Init.zeros(), channels);
        SDVariable rv = s.buffer("running_var", Init.ones(), channels);
        if (!s.training()) {
            return Norms.batchNormEval(s.sd(), inputs[0], rm, rv, w, b, eps);
        }
        Norms.BatchStats st = Norms.batchNormTrain(s.sd(), inputs[0], w, b, eps);
        s.updateBuffer("running_mean", rm.mul(1 - momentum).add(st.mean().mul(momentum)));
        s.updateBuffer(
                "running_var", rv.mul(1 - momentum).add(st.unbiasedVariance().mul(momentum)));
        return st.output();
    }
}
