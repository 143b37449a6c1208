package org.voxel4j.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.Sequential;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.nn.train.TrainingHistory;

/**
 * End to end: the {@link org.voxel4j.nn.train.Trainer} minimises {@link DiceCeLoss} on a toy
 * two-class segmentation (bright squares on noise; float32, label maps as placeholders of unknown
 * shape), and the trained network segments a held-out image.
 */
class DiceCeTrainingTest {

    static final int SIZE = 8;

    /** A noisy image {@code [1, 8, 8]} with a bright 3×3 to 4×4 square and its label map. */
    static Sample square(RandomGenerator rng) {
        int side = 3 + rng.nextInt(2);
        int r0 = rng.nextInt(SIZE - side + 1);
        int c0 = rng.nextInt(SIZE - side + 1);
        double[][] img = new double[SIZE][SIZE];
        double[][] lab = new double[SIZE][SIZE];
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                boolean in = r >= r0 && r < r0 + side && c >= c0 && c < c0 + side;
                lab[r][c] = in ? 1 : 0;
                img[r][c] = (in ? 1.0 : 0.0) + 0.3 * rng.nextGaussian();
            }
        }
        INDArray x = Nd4j.createFromArray(img).reshape(1, SIZE, SIZE).castTo(DataType.FLOAT);
        INDArray y = Nd4j.createFromArray(lab).reshape(1, SIZE, SIZE).castTo(DataType.FLOAT);
        return Sample.of(x, y);
    }

    @Test
    void trainerLowersDiceCeOnAToySegmentation() throws IOException {
        Model m =
                Model.create(
                        Sequential.of(
                                Conv.conv2d(1, 8, 3), Activation.relu(), Conv.conv2d(8, 2, 3)),
                        5,
                        InputSpec.of("x", -1, 1, SIZE, SIZE));
        Dataset data =
                new Dataset() {
                    @Override
                    public int size() {
                        return 16;
                    }

                    @Override
                    public Sample get(int index, RandomGenerator rng) {
                        return square(rng);
                    }
                };
        Trainer t =
                Trainer.builder(m)
                        .objective(Objective.of(DiceCeLoss.multiClass()))
                        .optimizer(Adam.defaults())
                        .learningRate(0.02)
                        .batchSize(4)
                        .epochs(10)
                        .seed(3)
                        .progressBar(false)
                        .build();
        TrainingHistory h = t.fit(data);
        List<TrainingHistory.EpochRecord> e = h.epochs();
        assertThat(h.steps()).hasSize(40);
        double first = e.get(0).meanLoss();
        double last = e.get(e.size() - 1).meanLoss();
        assertThat(last).as("first epoch %s, last %s", first, last).isLessThan(0.5 * first);

        // The trained network separates square from background on a new image.
        Sample test = square(new java.util.SplittableRandom(77));
        INDArray logits = m.predict(test.inputs().get(0).reshape(1, 1, SIZE, SIZE));
        INDArray predicted = logits.argMax(1).castTo(DataType.FLOAT).reshape(1, SIZE, SIZE);
        double accuracy =
                predicted
                        .eq(test.targets().get(0))
                        .castTo(DataType.FLOAT)
                        .meanNumber()
                        .doubleValue();
        LoggerFactory.getLogger(DiceCeTrainingTest.class)
                .info(
                        "DiceCE epoch-mean loss {} -> {}, held-out pixel accuracy {}",
                        first,
                        last,
                        accuracy);
        assertThat(accuracy).isGreaterThan(0.9);
    }
}
