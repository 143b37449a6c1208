package org.voxel4j.volumetric.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.losses.DiceCeLoss;
import org.voxel4j.nn.ops.Resize;
import org.voxel4j.nn.testing.LayerGradients;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.volumetric.Fixtures;

/**
 * The trainer's default loss, nn-core's {@link DiceCeLoss#nnUNet}, against PyTorch (nnU-Net's
 * formula) and DeepSupervision against hand sums.
 */
class LossesTest {

    static final JsonNode CASES = Fixtures.json("/fixtures/train/cases.json");

    static INDArray npy(String name) {
        Fixtures.Npy n = Fixtures.npy("/fixtures/train/" + name);
        long[] shape = java.util.Arrays.stream(n.shape()).asLongStream().toArray();
        return Nd4j.createFromArray(n.data()).reshape(shape);
    }

    static double eval(Module m, INDArray a, INDArray b) {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        SDVariable out = m.forward(s, s.sd().constant(a), s.sd().constant(b));
        return s.sd().output(Map.of(), out.name()).get(out.name()).getDouble(0);
    }

    @Test
    void nnUNetDiceCeMatchesPyTorch() {
        for (String c : new String[] {"dc3d", "dc2d"}) {
            INDArray logits = npy(c + "_logits.npy");
            INDArray labels = npy(c + "_labels.npy");
            assertThat(eval(DiceCeLoss.nnUNet(true), logits, labels))
                    .as(c)
                    .isCloseTo(CASES.get(c).get("loss").asDouble(), within(1e-9));
            DiceCeLoss bg = DiceCeLoss.nnUNet(true).withIncludeBackground(true);
            assertThat(eval(bg, logits, labels.castTo(DataType.FLOAT)))
                    .as(c + " with background, float labels")
                    .isCloseTo(CASES.get(c).get("loss_with_bg").asDouble(), within(1e-9));
        }
        assertThat(
                        eval(
                                DiceCeLoss.nnUNet(true).withToOneHotY(false),
                                npy("soft_logits.npy"),
                                npy("soft_targets.npy")))
                .isCloseTo(CASES.get("soft2d").get("loss").asDouble(), within(1e-9));
    }

    @Test
    void nnUNetDiceCeGradient() {
        INDArray logits = npy("dc2d_logits.npy").get(NDArrayIndex.interval(0, 2));
        INDArray labels = npy("dc2d_labels.npy").get(NDArrayIndex.interval(0, 2));
        // Integer labels are constants: only the logits are checked.
        LayerGradients.check(
                DiceCeLoss.nnUNet(true), true, 1e-6, 40, logits, labels.castTo(DataType.INT32));
    }

    /** Identity "network" publishing two heads: avg-pooled by 2 and by 4 along both axes. */
    record TwoHeads() implements Module {
        @Override
        public SDVariable forward(Scope s, SDVariable... in) {
            s.auxOutput("ds_2x2", Resize.avgPool(s.sd(), in[0], 2, 2));
            s.child("inner").auxOutput("ds_4x4", Resize.avgPool(s.sd(), in[0], 4, 4));
            s.auxOutput("other", in[0].mul(3)); // not a head: ignored
            return in[0];
        }
    }

    static double lossOf(DeepSupervision ds, INDArray x, INDArray ref) {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        SDVariable pred = new TwoHeads().forward(s, s.sd().constant(x));
        SDVariable l = ds.loss(s, pred, s.sd().constant(ref));
        return s.sd().output(Map.of(), l.name()).get(l.name()).getDouble(0);
    }

    @Test
    void halvingAndMeanWeightsOverHeadsWithNearestReferences() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 8, 8);
        INDArray ref =
                Nd4j.rand(DataType.DOUBLE, 1, 1, 8, 8)
                        .muli(3)
                        .castTo(DataType.INT32)
                        .castTo(DataType.DOUBLE);
        // base loss = mean(prediction) + 10 * mean(reference): both parts visible in the sum.
        Objective base = (s, p, t) -> p.mean().add(t[0].mean().mul(10));
        double[] heads = new double[3];
        double[] refs = new double[3];
        int[] f = {1, 2, 4};
        for (int i = 0; i < 3; i++) {
            heads[i] = avgPool(x, f[i]).meanNumber().doubleValue();
            refs[i] =
                    ref.get(
                                    NDArrayIndex.all(),
                                    NDArrayIndex.all(),
                                    NDArrayIndex.interval(0, f[i], 8),
                                    NDArrayIndex.interval(0, f[i], 8))
                            .meanNumber()
                            .doubleValue();
        }
        double[] wh = {4 / 7.0, 2 / 7.0, 1 / 7.0};
        double expected = 0;
        double expectedMean = 0;
        for (int i = 0; i < 3; i++) {
            expected += wh[i] * (heads[i] + 10 * refs[i]);
            expectedMean += (heads[i] + 10 * refs[i]) / 3;
        }
        DeepSupervision halving =
                new DeepSupervision(
                        base,
                        DeepSupervision.Weighting.HALVING,
                        false,
                        DeepSupervision.Downsampling.NEAREST,
                        0);
        assertThat(lossOf(halving, x, ref)).isCloseTo(expected, within(1e-12));
        DeepSupervision mean =
                new DeepSupervision(
                        base,
                        DeepSupervision.Weighting.MEAN,
                        false,
                        DeepSupervision.Downsampling.NEAREST,
                        0);
        assertThat(lossOf(mean, x, ref)).isCloseTo(expectedMean, within(1e-12));
        DeepSupervision dropped =
                new DeepSupervision(
                        base,
                        DeepSupervision.Weighting.HALVING,
                        true,
                        DeepSupervision.Downsampling.NEAREST,
                        0);
        double expectedDropped =
                (4 / 6.0) * (heads[0] + 10 * refs[0]) + (2 / 6.0) * (heads[1] + 10 * refs[1]);
        assertThat(lossOf(dropped, x, ref)).isCloseTo(expectedDropped, within(1e-12));
    }

    @Test
    void averagePooledOneHotReferences() {
        INDArray ref =
                Nd4j.createFromArray(new double[] {0, 1, 1, 1, 2, 0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 1})
                        .reshape(1, 1, 4, 4);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 3, 4, 4);
        // base = sum of the class-1 reference fraction, so every head sees its pooled one-hot.
        Objective base =
                (s, p, t) ->
                        t[0].get(
                                        org.nd4j.autodiff.samediff.SDIndex.all(),
                                        org.nd4j.autodiff.samediff.SDIndex.point(1))
                                .sum();
        DeepSupervision ds =
                new DeepSupervision(
                        base,
                        DeepSupervision.Weighting.MEAN,
                        false,
                        DeepSupervision.Downsampling.AVG_POOL_ONE_HOT,
                        3);
        // class-1 voxels: 6 of 16. Full: sum = 6; 2x2 blocks: the fractions sum to 6/4;
        // 4x4: 6/16.
        double expected = (6 + 6 / 4.0 + 6 / 16.0) / 3;
        assertThat(lossOf(ds, x, ref)).isCloseTo(expected, within(1e-12));
        assertThat(ds.weights(4)).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    static INDArray avgPool(INDArray x, int f) {
        if (f == 1) {
            return x;
        }
        long h = x.size(2) / f;
        long w = x.size(3) / f;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, x.size(0), x.size(1), h, w);
        for (int n = 0; n < x.size(0); n++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double s = 0;
                        for (int a = 0; a < f; a++) {
                            for (int b = 0; b < f; b++) {
                                s += x.getDouble(n, c, i * f + a, j * f + b);
                            }
                        }
                        out.putScalar(new long[] {n, c, i, j}, s / (f * f));
                    }
                }
            }
        }
        return out;
    }
}
