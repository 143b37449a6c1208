package org.voxel4j.nn.ops;

import java.util.Arrays;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout (Srivastava et al. 2014, "Dropout", with the 1/(1−p) scaling applied at training
 * time; PyTorch {@code F.dropout(x, p, training)} and {@code F.dropout1d/2d/3d} for whole
 * channels).
 *
 * <p>ND4J's {@code dropout} op has no gradient, so the mask is drawn separately and multiplied:
 * {@code x * (u >= p) / (1 - p)} with {@code u ~ U[0, 1)} of the run-time shape of {@code x} (a
 * {@code randomuniform} op fed with {@code sd.shape(x)}). The mask does not depend on {@code x}, so
 * the gradient is {@code mask / (1 - p)}.
 *
 * <p><b>Randomness.</b> In ND4J 1.0.0-M2.1 SameDiff runs custom random ops with a per-op context
 * whose generator is seeded once, when the op first runs, and is never advanced: without help every
 * step would draw the same mask, and {@code Nd4j.getRandom().setSeed(...)} would have no effect
 * afterwards (measured; see {@code DropoutTest}). {@link #apply} therefore installs a {@link
 * Seeder} listener on the graph, which reseeds each random op's context just before it executes
 * from {@code Nd4j.getRandom()} (advancing it). Masks then differ from step to step and are
 * reproduced by {@code Nd4j.getRandom().setSeed(s)}. Listeners are not saved with a graph: after
 * {@code SameDiff.load} call {@link #installSeeder} once.
 */
public final class Dropout {
    private Dropout() {}

    /**
     * Elementwise dropout: in training, each element is zeroed with probability {@code p} and the
     * rest scaled by {@code 1 / (1 - p)}; in evaluation, {@code x} itself.
     *
     * @param p drop probability in [0, 1]
     */
    public static SDVariable apply(SameDiff sd, SDVariable x, double p, boolean training) {
        checkP(p);
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0.0);
        }
        return x.mul(mask(sd, sd.shape(x), x, p));
    }

    /**
     * Channel dropout (PyTorch {@code F.dropout1d/2d/3d}): whole channels of {@code [N, C, *S]} are
     * zeroed with probability {@code p}, the rest scaled by {@code 1 / (1 - p)}.
     *
     * @param spatialDims number of spatial axes (1, 2 or 3)
     */
    public static SDVariable channels(
            SameDiff sd, SDVariable x, double p, boolean training, int spatialDims) {
        checkP(p);
        Shapes.checkSpatialDims(spatialDims);
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0.0);
        }
        // [N, C, 1, ..., 1]
        long[] mul = new long[spatialDims + 2];
        long[] add = new long[spatialDims + 2];
        mul[0] = 1;
        mul[1] = 1;
        Arrays.fill(add, 2, add.length, 1);
        SDVariable maskShape = Shapes.withDims(sd, sd.shape(x), mul, add);
        return x.mul(mask(sd, maskShape, x, p));
    }

    /**
     * Stochastic depth / drop path (Huang et al. 2016, "Deep Networks with Stochastic Depth"; timm
     * {@code drop_path(x, p, training, scale_by_keep=True)}): the whole sample {@code x[n]} is
     * zeroed with probability {@code p}, the rest scaled by {@code 1 / (1 - p)}. Used on residual
     * branches of transformers and Swin-style networks.
     *
     * @param rank rank of {@code x} (the mask has shape {@code [N, 1, ..., 1]})
     */
    public static SDVariable path(SameDiff sd, SDVariable x, double p, boolean training, int rank) {
        checkP(p);
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0.0);
        }
        // [N, 1, ..., 1]
        long[] mul = new long[rank];
        long[] add = new long[rank];
        mul[0] = 1;
        Arrays.fill(add, 1, rank, 1);
        SDVariable maskShape = Shapes.withDims(sd, sd.shape(x), mul, add);
        return x.mul(mask(sd, maskShape, x, p));
    }

    /**
     * A mask of the given run-time shape with values {@code 0} (probability {@code p}) and {@code 1
     * / (1 - p)}, of {@code like}'s data type.
     */
    public static SDVariable mask(SameDiff sd, SDVariable shape, SDVariable like, double p) {
        checkP(p);
        if (p == 1) {
            throw new IllegalArgumentException("a dropout mask needs p < 1, got " + p);
        }
        installSeeder(sd);
        SDVariable u =
                new DistributionUniform(sd, shape, 0.0, 1.0, like.dataType()).outputVariable();
        return sd.gte(u, p).castTo(like.dataType()).mul(1.0 / (1.0 - p));
    }

    /** Adds a {@link Seeder} to {@code sd} unless it already has one. Idempotent. */
    public static void installSeeder(SameDiff sd) {
        for (Listener l : sd.getListeners()) {
            if (l instanceof Seeder) {
                return;
            }
        }
        sd.addListeners(new Seeder());
    }

    /**
     * SameDiff listener that reseeds the op context of every custom random op (package {@code
     * org.nd4j.linalg.api.ops.random}) from {@code Nd4j.getRandom()} right before it executes.
     */
    public static final class Seeder extends BaseListener {
        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
            if (opContext != null
                    && op.getOp() instanceof CustomOp
                    && op.getOp()
                            .getClass()
                            .getName()
                            .startsWith("org.nd4j.linalg.api.ops.random.")) {
                long seed = Nd4j.getRandom().nextLong();
                opContext.setRngStates(seed, mix(seed));
            }
        }

        /** SplitMix64 finaliser: a second, decorrelated state word from the first. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    private static void checkP(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
    }
}
