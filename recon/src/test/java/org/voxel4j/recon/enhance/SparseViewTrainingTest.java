package org.voxel4j.recon.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.train.TrainingHistory;
import org.voxel4j.recon.ffc.FfcEncoderDecoder;

/**
 * A short training of a small GloReDi-style FFC network on random ellipse phantoms must beat the
 * sparse-view FBP it starts from on held-out phantoms.
 */
class SparseViewTrainingTest {
    private static final Logger LOG = LoggerFactory.getLogger(SparseViewTrainingTest.class);

    @Test
    void shortTrainingImprovesPsnrOverSparseViewFbp() throws IOException {
        // 32² images, 8 of 90 parallel views over 180°: strong streaks
        SparseViewSimulator sim = SparseViewSimulator.parallel(32, 90, 8, 0);
        PhantomGenerator gen = PhantomGenerator.randomEllipses(2, 6);
        int steps = 50;
        int batch = 8;
        SparseViewPairs train = SparseViewPairs.phantoms(gen, sim, steps * batch, 1, true);
        SparseViewPairs heldOut = SparseViewPairs.phantoms(gen, sim, 16, 999, false);
        // ngf 8, two downsamplings, one FFC residual block (global share 0.75), global skip
        FfcEncoderDecoder net = new FfcEncoderDecoder(1, 1, 8, 2, 1, 0, 0.75, 1024, true);
        Model m = SparseViewTraining.model(net, 3);
        SparseViewTraining.Evaluation before = SparseViewTraining.evaluate(m, heldOut, 1.0, 16);
        // zero-initialised output convolution: the untrained model returns the FBP
        assertThat(before.psnrNetwork())
                .isEqualTo(before.psnrFbp(), org.assertj.core.api.Assertions.within(1e-3));
        long t0 = System.nanoTime();
        TrainingHistory h =
                SparseViewTraining.trainer(m, 1e-3, 1_000_000)
                        .batchSize(batch)
                        .epochs(1)
                        .seed(5)
                        .build()
                        .fit(train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        SparseViewTraining.Evaluation after = SparseViewTraining.evaluate(m, heldOut, 1.0, 16);
        LOG.info(
                "{} steps in {} s; held-out PSNR: FBP {} dB -> network {} dB; SSIM {} -> {}",
                h.steps().size(),
                String.format("%.1f", seconds),
                String.format("%.2f", after.psnrFbp()),
                String.format("%.2f", after.psnrNetwork()),
                String.format("%.3f", after.ssimFbp()),
                String.format("%.3f", after.ssimNetwork()));
        assertThat(h.steps()).hasSize(steps);
        assertThat(after.images()).isEqualTo(16);
        assertThat(after.psnrNetwork()).isGreaterThan(after.psnrFbp() + 0.5);
    }
}
