package org.voxel4j.recon.enhance;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.nn.train.Objective;

/**
 * The losses of sparse-view enhancement, written from elementwise ops and plain reductions (ND4J's
 * {@code sd.loss()} ops ignore the upstream gradient, ND4J-NOTES.md). When {@code
 * org.voxel4j.nn.losses} provides loss modules, they plug in through {@link Objective#of}.
 */
public final class EnhancementLosses {
    private EnhancementLosses() {}

    /**
     * PyTorch's {@code SmoothL1Loss(beta=beta, reduction='mean')} (Girshick, "Fast R-CNN", 2015,
     * eq. 3): per element {@code 0.5 d²/β} for {@code d = |x − y| < β}, else {@code d − 0.5 β}; the
     * mean over all elements. Written as {@code 0.5 m²/β + (d − m)} with {@code m = min(d, β) = β −
     * relu(β − d)}, which has the same value and gradient without a comparison op.
     */
    public static SDVariable smoothL1(
            SameDiff sd, SDVariable pred, SDVariable target, double beta) {
        checkBeta(beta);
        SDVariable d = sd.math().abs(pred.sub(target));
        SDVariable m = Activations.relu(sd, d.rsub(beta)).rsub(beta);
        return m.mul(m).mul(0.5 / beta).add(d.sub(m)).mean();
    }

    /** {@link #smoothL1(SameDiff, SDVariable, SDVariable, double)} as a training objective. */
    public static Objective smoothL1(double beta) {
        checkBeta(beta);
        return (s, prediction, targets) -> smoothL1(s.sd(), prediction, targets[0], beta);
    }

    /**
     * GloReDi's latent distillation loss ({@code 1 − cosine_similarity(a, b, dim=1)}, averaged over
     * the batch and the spatial positions) on the first {@code channels} channels of two {@code [N,
     * C, H, W]} tensors. The similarity is {@code a·b / sqrt(|a|²|b|² + eps²)}; PyTorch clamps the
     * norms at eps instead, which differs only for near-zero feature vectors.
     */
    public static SDVariable cosineDistance(
            SameDiff sd, SDVariable a, SDVariable b, int channels, double eps) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        SDVariable x = Shapes.slice(sd, a, 4, 1, 0, channels);
        SDVariable y = Shapes.slice(sd, b, 4, 1, 0, channels);
        SDVariable dot = x.mul(y).sum(1);
        SDVariable nx = x.mul(x).sum(1);
        SDVariable ny = y.mul(y).sum(1);
        SDVariable cos = dot.div(sd.math().sqrt(nx.mul(ny).add(eps * eps)));
        return cos.rsub(1.0).mean();
    }

    private static void checkBeta(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(
                    "smooth-L1 beta must be finite and > 0, got " + beta);
        }
    }
}
