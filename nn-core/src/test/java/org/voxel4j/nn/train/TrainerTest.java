package org.voxel4j.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.CheckpointException;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.Linear;
import org.voxel4j.nn.layers.Sequential;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.optim.LrSchedule;
import org.voxel4j.nn.optim.Sgd;

class TrainerTest {

    @TempDir Path dir;

    /** y = sin(x0) + 0.5·x1 sampled with per-sample noise from the dataset generator. */
    static final class Regression implements Dataset {
        final int n;

        Regression(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Sample get(int index, RandomGenerator rng) {
            double x0 = Math.sin(index * 0.37) * 2;
            double x1 = Math.cos(index * 0.11);
            double noise = 0.01 * rng.nextGaussian();
            INDArray x = Nd4j.createFromArray(x0, x1).castTo(DataType.FLOAT);
            INDArray y =
                    Nd4j.createFromArray(Math.sin(x0) + 0.5 * x1 + noise).castTo(DataType.FLOAT);
            return Sample.of(x, y);
        }
    }

    static Objective mse() {
        return (s, p, t) -> {
            SDVariable d = p.sub(t[0]);
            return d.mul(d).mean();
        };
    }

    static Model mlp(long seed) {
        Module net = Sequential.of(Linear.of(2, 16), Activation.tanh(), Linear.of(16, 1));
        return Model.create(net, seed, InputSpec.of("x", -1, 2));
    }

    static Trainer.Builder base(Model m) {
        return Trainer.builder(m)
                .objective(mse())
                .optimizer(Adam.defaults())
                .schedule(LrSchedule.cosine(0.02, 5, 200, 1e-4))
                .batchSize(8)
                .seed(99);
    }

    @Test
    void lossFallsOnALearnableTask() throws IOException {
        Model m = mlp(1);
        TrainingHistory h = base(m).epochs(25).build().fit(new Regression(64));
        List<TrainingHistory.EpochRecord> e = h.epochs();
        assertThat(e).hasSize(25);
        assertThat(e.get(24).meanLoss()).isLessThan(e.get(0).meanLoss() * 0.2);
        assertThat(h.steps()).hasSize(25 * 8);
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        Dataset data = new Regression(20); // 3 batches per epoch, last one partial
        Model a = mlp(3);
        base(a).epochs(4).build().fit(data);

        Model b = mlp(3);
        Path ck = dir.resolve("k.v4j");
        Trainer first = base(b).epochs(4).maxSteps(5).build();
        first.fit(data);
        assertThat(first.step()).isEqualTo(5);
        first.save(ck);

        Model c = mlp(1234); // different initial weights: all must come from the checkpoint
        Trainer second = base(c).epochs(4).build();
        second.resume(ck);
        second.fit(data);
        assertThat(second.step()).isEqualTo(12);
        for (String n : a.parameters().names()) {
            assertThat(c.parameters().get(n)).as(n).isEqualTo(a.parameters().get(n));
        }
        assertThat(second.history().steps()).hasSize(12);
    }

    @Test
    void accumulationEqualsTheLargerBatch() throws IOException {
        Dataset data = new Regression(8);
        Model big = mlp(5);
        Trainer.builder(big)
                .objective(mse())
                .optimizer(Sgd.plain())
                .learningRate(0.1)
                .batchSize(4)
                .shuffle(false)
                .epochs(2)
                .build()
                .fit(data);
        Model small = mlp(5);
        Trainer.builder(small)
                .objective(mse())
                .optimizer(Sgd.plain())
                .learningRate(0.1)
                .batchSize(2)
                .accumulate(2)
                .shuffle(false)
                .epochs(2)
                .build()
                .fit(data);
        for (String n : big.parameters().names()) {
            INDArray d = big.parameters().get(n).sub(small.parameters().get(n));
            assertThat(d.amaxNumber().doubleValue()).as(n).isLessThan(1e-6);
        }
    }

    @Test
    void clippingBoundsTheUpdate() throws IOException {
        Model m = mlp(5);
        INDArray before = m.parameters().get("0/weight").dup();
        Trainer t =
                Trainer.builder(m)
                        .objective((s, p, y) -> p.sub(y[0]).mul(1000).mul(p.sub(y[0])).mean())
                        .optimizer(Sgd.plain())
                        .learningRate(1.0)
                        .batchSize(8)
                        .clipGradNorm(1e-3)
                        .maxSteps(1)
                        .build();
        t.fit(new Regression(8));
        TrainingHistory.StepRecord r = t.history().steps().get(0);
        assertThat(r.gradNorm()).isGreaterThan(1.0);
        double moved = m.parameters().get("0/weight").sub(before).norm2Number().doubleValue();
        assertThat(moved).isLessThanOrEqualTo(1e-3 * 1.0001);
    }

    @Test
    void validationEarlyStoppingAndBestCheckpoint() throws IOException {
        Model m = mlp(2);
        List<Integer> seen = new ArrayList<>();
        Validator v =
                (model, epoch) -> {
                    seen.add(epoch);
                    // Improves for 2 epochs, then gets worse: stop after patience 2.
                    return Map.of("score", epoch <= 2 ? (double) epoch : 2.0 - epoch);
                };
        Path best = dir.resolve("best.v4j");
        Trainer t = base(m).epochs(50).validation(v, 1).monitor("score", true, 2, best).build();
        t.fit(new Regression(16));
        assertThat(seen).containsExactly(1, 2, 3, 4);
        assertThat(t.stoppedEarly()).isTrue();
        assertThat(t.bestMetric()).isEqualTo(2.0);
        assertThat(Files.exists(best)).isTrue();
        assertThat(t.history().epochs().get(1).metrics()).containsEntry("score", 2.0);
    }

    @Test
    void historyIsExportedAsCsvAndPng() throws IOException {
        Model m = mlp(2);
        Trainer t = base(m).epochs(3).checkpointEvery(4, dir.resolve("last.v4j")).build();
        t.fit(new Regression(16));
        t.history().writeStepsCsv(dir.resolve("steps.csv"));
        t.history().writeEpochsCsv(dir.resolve("epochs.csv"));
        t.history().writeLossPlot(dir.resolve("loss.png"), "test");
        List<String> lines = Files.readAllLines(dir.resolve("steps.csv"));
        assertThat(lines).hasSize(1 + 6);
        assertThat(lines.get(0)).isEqualTo("step,epoch,loss,lr,grad_norm");
        byte[] png = Files.readAllBytes(dir.resolve("loss.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        var img = javax.imageio.ImageIO.read(dir.resolve("loss.png").toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(Files.exists(dir.resolve("last.v4j"))).isTrue();
    }

    @Test
    void resumeRefusesAnotherNetworkOrOptimizer() throws IOException {
        Model m = mlp(2);
        Trainer t = base(m).maxSteps(2).build();
        t.fit(new Regression(16));
        Path ck = dir.resolve("k.v4j");
        t.save(ck);
        Model other =
                Model.create(
                        Sequential.of(Linear.of(2, 8), Activation.tanh(), Linear.of(8, 1)),
                        1,
                        InputSpec.of("x", -1, 2));
        assertThatThrownBy(() -> base(other).build().resume(ck))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("different network");
        Model same = mlp(2);
        assertThatThrownBy(() -> base(same).optimizer(Sgd.plain()).build().resume(ck))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("Sgd");
        Path weightsOnly = dir.resolve("w.v4j");
        m.save(weightsOnly);
        assertThatThrownBy(() -> base(mlp(2)).build().resume(weightsOnly))
                .hasMessageContaining("weights only");
    }

    @Test
    void badBatchesGiveClearErrors() {
        Model m = mlp(2);
        Dataset ragged =
                new Dataset() {
                    @Override
                    public int size() {
                        return 2;
                    }

                    @Override
                    public Sample get(int i, RandomGenerator rng) {
                        return Sample.of(
                                Nd4j.zeros(DataType.FLOAT, 2), Nd4j.zeros(DataType.FLOAT, 1 + i));
                    }
                };
        assertThatThrownBy(() -> base(m).batchSize(2).build().fit(ragged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("equal shapes");
        Dataset wrongWidth =
                new Dataset() {
                    @Override
                    public int size() {
                        return 1;
                    }

                    @Override
                    public Sample get(int i, RandomGenerator rng) {
                        return Sample.of(
                                Nd4j.zeros(DataType.FLOAT, 3), Nd4j.zeros(DataType.FLOAT, 1));
                    }
                };
        assertThatThrownBy(() -> base(m).build().fit(wrongWidth))
                .hasMessageContaining("input 'x' expects shape [-1, 2]");
    }
}
