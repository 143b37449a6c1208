package org.voxel4j.recon.enhance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.optim.LrSchedule;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.recon.ffc.FfcEncoderDecoder;
import org.voxel4j.recon.metrics.ImageMetrics;
import org.voxel4j.recon.metrics.SsimOptions;

/**
 * Training and evaluation of sparse-view CT enhancement networks (sparse-view FBP → image) on pairs
 * from {@link SparseViewPairs}. The defaults follow GloReDi: smooth-L1 image loss (β = 1), Adam,
 * learning rate 5·10⁻⁴ halved every {@code 45} epochs.
 *
 * <pre>{@code
 * SparseViewSimulator sim = SparseViewSimulator.parallel(256, 720, 36, 72);
 * Dataset train = SparseViewPairs.phantoms(PhantomGenerator.randomEllipses(3, 8), sim, 1000, 1, true);
 * Model m = SparseViewTraining.model(FfcEncoderDecoder.gloReDi(), 42);
 * SparseViewTraining.trainer(m, 5e-4, 45 * (1000 / 4)).batchSize(4).epochs(100).build().fit(train);
 * }</pre>
 */
public final class SparseViewTraining {
    private SparseViewTraining() {}

    /** The single input of an enhancement model: {@code image [N, channels, H, W]}. */
    public static InputSpec imageInput(int channels) {
        return InputSpec.of("image", -1, channels, -1, -1);
    }

    /**
     * A float32 model of {@code network} with input {@code image}. With a global skip the output
     * convolution starts at zero, so the untrained model returns its input (the FBP) and training
     * learns the correction (residual learning; the usual zero initialisation of a residual
     * branch's last layer).
     */
    public static Model model(FfcEncoderDecoder network, long seed) {
        Model m = Model.create(network, seed, imageInput(network.inChannels()));
        if (network.globalSkip()) {
            m.parameters().get("decoder/final/weight").assign(0);
            m.parameters().get("decoder/final/bias").assign(0);
        }
        return m;
    }

    /**
     * A trainer builder with GloReDi's loss and optimiser: smooth-L1 (β = 1), Adam, {@code lr}
     * multiplied by 0.5 every {@code decaySteps} optimiser steps. Set batch size, epochs, seed and
     * validation on the returned builder; replace the objective with {@link DistillationObjective}
     * for a {@link GloReDiDistillation} model.
     */
    public static Trainer.Builder trainer(Model model, double lr, long decaySteps) {
        return Trainer.builder(model)
                .objective(EnhancementLosses.smoothL1(1.0))
                .optimizer(Adam.defaults())
                .schedule(LrSchedule.step(lr, decaySteps, 0.5));
    }

    /**
     * Mean image quality over a pair dataset: the sparse-view FBP input and the network output,
     * each against the target.
     *
     * @param psnrFbp mean PSNR (dB) of the FBP input
     * @param psnrNetwork mean PSNR (dB) of the network output
     * @param ssimFbp mean SSIM ({@link SsimOptions#wang()}) of the FBP input
     * @param ssimNetwork mean SSIM of the network output
     * @param images number of images
     */
    public record Evaluation(
            double psnrFbp, double psnrNetwork, double ssimFbp, double ssimNetwork, int images) {}

    /**
     * Evaluates {@code model} (single input {@code [N, 1, H, W]}) on every sample of {@code pairs}
     * (its first input and first target), in batches; PSNR and SSIM with {@code dataRange}.
     */
    public static Evaluation evaluate(Model model, Dataset pairs, double dataRange, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        double pf = 0;
        double pn = 0;
        double sf = 0;
        double sn = 0;
        int n = pairs.size();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            List<INDArray> in = new ArrayList<>();
            List<INDArray> gt = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Sample s = pairs.get(i, new SplittableRandom(i));
                in.add(s.inputs().get(0));
                gt.add(s.targets().get(0));
            }
            INDArray out = model.predict(Nd4j.stack(0, in.toArray(INDArray[]::new)));
            for (int i = 0; i < in.size(); i++) {
                long[] shape = gt.get(i).shape();
                int[] hw = {(int) shape[shape.length - 2], (int) shape[shape.length - 1]};
                double[] ref = values(gt.get(i));
                double[] fbp = values(in.get(i));
                double[] net = values(out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
                pf += ImageMetrics.psnr(fbp, ref, null, dataRange);
                pn += ImageMetrics.psnr(net, ref, null, dataRange);
                sf += ImageMetrics.ssim(fbp, ref, hw, null, SsimOptions.wang(), dataRange);
                sn += ImageMetrics.ssim(net, ref, hw, null, SsimOptions.wang(), dataRange);
            }
        }
        return new Evaluation(pf / n, pn / n, sf / n, sn / n, n);
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
