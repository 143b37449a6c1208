package org.voxel4j.volumetric.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Resize;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.volumetric.nets.SegmentationNets;

/**
 * Deep-supervision objective: the base loss applied to the full-resolution output and to every
 * deep-supervision head the network published ({@link SegmentationNets}: auxiliary outputs named
 * {@code ds_<factors>}), each against the reference down-sampled by that head's factors, combined
 * with normalised weights.
 *
 * <ul>
 *   <li>{@link Weighting#HALVING} (nnU-Net, Isensee et al. 2021): weight 1 at full resolution,
 *       halved per level (1, 1/2, 1/4, ...), normalised to sum 1; with {@code dropCoarsest} the
 *       coarsest head gets weight 0 first, as nnU-Net v2 does.
 *   <li>{@link Weighting#MEAN} (Turbolift): every head weighs the same, the mean of the losses.
 * </ul>
 *
 * Reference down-sampling: {@link Downsampling#NEAREST} keeps every f-th voxel starting at 0,
 * {@code ref[..., ::f]}, which is Turbolift's {@code gt[:, :, ::8, ::8]} and PyTorch's {@code
 * F.interpolate(ref, scale_factor=1/f, mode='nearest')}; the label map stays a label map. {@link
 * Downsampling#AVG_POOL_ONE_HOT} one-hot encodes the reference ({@code numClasses}) and
 * average-pools it by f (kernel = stride), giving per-class fractions {@code [N, K, *S/f]}: the
 * base loss must then accept probability targets (e.g. {@code
 * DiceCeLoss.nnUNet(true).withToOneHotY(false)}), and it receives them at full resolution as well.
 */
public final class DeepSupervision implements Objective {

    /** How heads are weighted. */
    public enum Weighting {
        HALVING,
        MEAN
    }

    /** How the reference is down-sampled per head. */
    public enum Downsampling {
        NEAREST,
        AVG_POOL_ONE_HOT
    }

    private final Objective base;
    private final Weighting weighting;
    private final boolean dropCoarsest;
    private final Downsampling downsampling;
    private final int numClasses;

    /**
     * @param base loss of one head: {@code (logits, reference)} to a scalar
     * @param weighting head weights
     * @param dropCoarsest give the coarsest head weight 0 (only with {@link Weighting#HALVING})
     * @param downsampling reference down-sampling
     * @param numClasses classes, for {@link Downsampling#AVG_POOL_ONE_HOT} (ignored otherwise)
     */
    public DeepSupervision(
            Objective base,
            Weighting weighting,
            boolean dropCoarsest,
            Downsampling downsampling,
            int numClasses) {
        if (base == null || weighting == null || downsampling == null) {
            throw new IllegalArgumentException(
                    "DeepSupervision needs a base objective, a weighting and a down-sampling");
        }
        if (dropCoarsest && weighting != Weighting.HALVING) {
            throw new IllegalArgumentException("dropCoarsest applies to HALVING weights only");
        }
        if (downsampling == Downsampling.AVG_POOL_ONE_HOT && numClasses < 2) {
            throw new IllegalArgumentException(
                    "AVG_POOL_ONE_HOT needs numClasses >= 2, got " + numClasses);
        }
        this.base = base;
        this.weighting = weighting;
        this.dropCoarsest = dropCoarsest;
        this.downsampling = downsampling;
        this.numClasses = numClasses;
    }

    /** Halving weights, nearest reference: nnU-Net's scheme (without dropping the coarsest). */
    public static DeepSupervision halving(Module loss) {
        return new DeepSupervision(
                Objective.of(loss), Weighting.HALVING, false, Downsampling.NEAREST, 0);
    }

    /** Equal weights, nearest reference: Turbolift's scheme. */
    public static DeepSupervision mean(Module loss) {
        return new DeepSupervision(
                Objective.of(loss), Weighting.MEAN, false, Downsampling.NEAREST, 0);
    }

    /** The weight of each of {@code n} heads ordered from full resolution to coarsest. */
    public double[] weights(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weighting == Weighting.MEAN ? 1 : Math.pow(0.5, i);
        }
        if (dropCoarsest && n > 1) {
            w[n - 1] = 0;
        }
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private record Head(int[] factors, SDVariable logits) {}

    @Override
    public SDVariable loss(Scope s, SDVariable prediction, SDVariable... targets) {
        if (targets.length < 1) {
            throw new IllegalArgumentException("DeepSupervision needs a reference target");
        }
        List<Head> heads = new ArrayList<>();
        heads.add(new Head(null, prediction));
        for (Map.Entry<String, SDVariable> e : s.auxOutputs().entrySet()) {
            int[] f = SegmentationNets.auxFactors(e.getKey());
            if (f != null) {
                heads.add(new Head(f, e.getValue()));
            }
        }
        heads.sort(Comparator.comparingLong(h -> h.factors == null ? 1 : product(h.factors)));
        double[] w = weights(heads.size());
        SDVariable ref = targets[0];
        if (downsampling == Downsampling.AVG_POOL_ONE_HOT) {
            ref = oneHot(s.sd(), ref, numClasses, s.dataType());
        }
        SDVariable total = null;
        for (int i = 0; i < heads.size(); i++) {
            if (w[i] == 0) {
                continue;
            }
            Head h = heads.get(i);
            SDVariable r = h.factors == null ? ref : downsample(s.sd(), ref, h.factors);
            SDVariable[] t = targets.clone();
            t[0] = r;
            SDVariable l = base.loss(s.child("head" + i), h.logits, t).mul(w[i]);
            total = total == null ? l : total.add(l);
        }
        return total;
    }

    /** The one-hot {@code [N, K, *S]} of a label map {@code [N, 1, *S]}, in {@code type}. */
    private static SDVariable oneHot(
            SameDiff sd, SDVariable labels, int numClasses, DataType type) {
        SDVariable idx = sd.squeeze(labels.castTo(DataType.INT32), 1);
        return sd.oneHot(idx, numClasses, 1, 1.0, 0.0, type);
    }

    private SDVariable downsample(SameDiff sd, SDVariable ref, int[] f) {
        if (downsampling == Downsampling.AVG_POOL_ONE_HOT) {
            return Resize.avgPool(sd, ref, f);
        }
        SDVariable out = ref;
        int rank = f.length + 2;
        for (int a = 0; a < f.length; a++) {
            if (f[a] > 1) {
                out = Shapes.slice(sd, out, rank, 2 + a, 0, Shapes.END, f[a]);
            }
        }
        return out;
    }

    private static long product(int[] f) {
        long p = 1;
        for (int v : f) {
            p *= v;
        }
        return p;
    }
}
