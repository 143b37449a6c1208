package org.voxel4j.recon.enhance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.recon.phantom.Ellipse;
import org.voxel4j.recon.phantom.Phantoms;

/**
 * Training pairs for sparse-view enhancement made on the fly: input the sparse-view FBP {@code [1,
 * H, W]} (plus the teacher FBP {@code [1, H, W]} as a second input when the simulator has teacher
 * views), target the ground-truth image {@code [1, H, W]}, all float32.
 *
 * <p>Sources: random analytic phantoms ({@link #phantoms}), rasterised with {@code 2×2}
 * supersampling and projected exactly; or the first input of each sample of a user {@link Dataset}
 * ({@link #of}), e.g. CT slices from {@link VolumeSlices}, projected with the simulator's discrete
 * projector.
 */
public final class SparseViewPairs implements Dataset {
    private final int size;
    private final SparseViewSimulator simulator;
    private final PhantomGenerator generator;
    private final Dataset images;
    private final long seed;
    private final boolean fresh;

    private SparseViewPairs(
            int size,
            SparseViewSimulator simulator,
            PhantomGenerator generator,
            Dataset images,
            long seed,
            boolean fresh) {
        if (simulator == null) {
            throw new IllegalArgumentException("simulator must not be null");
        }
        if (size < 1) {
            throw new IllegalArgumentException("dataset size must be >= 1, got " + size);
        }
        this.size = size;
        this.simulator = simulator;
        this.generator = generator;
        this.images = images;
        this.seed = seed;
        this.fresh = fresh;
    }

    /**
     * {@code count} phantoms from {@code generator}. With {@code freshEachEpoch} every epoch sees
     * new phantoms (drawn from the trainer's per-sample generator); otherwise sample {@code i} is
     * always the phantom drawn from {@code seed} and {@code i} (use this for validation and test
     * sets, with a seed different from the training set's).
     */
    public static SparseViewPairs phantoms(
            PhantomGenerator generator,
            SparseViewSimulator simulator,
            int count,
            long seed,
            boolean freshEachEpoch) {
        if (generator == null) {
            throw new IllegalArgumentException("generator must not be null");
        }
        return new SparseViewPairs(count, simulator, generator, null, seed, freshEachEpoch);
    }

    /** Pairs from the images of a user dataset (first input of each sample, {@code [1, H, W]}). */
    public static SparseViewPairs of(Dataset images, SparseViewSimulator simulator) {
        if (images == null) {
            throw new IllegalArgumentException("images must not be null");
        }
        return new SparseViewPairs(images.size(), simulator, null, images, 0, true);
    }

    public SparseViewSimulator simulator() {
        return simulator;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index, RandomGenerator rng) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        int rows = simulator.grid().rows();
        int cols = simulator.grid().cols();
        double[] image;
        SparseViewSimulator.Inputs in;
        if (generator != null) {
            RandomGenerator r =
                    fresh ? rng : new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
            List<Ellipse> phantom = generator.sample(r, Math.max(rows, cols));
            image = Phantoms.rasterize(phantom, simulator.grid(), 2);
            in = simulator.simulate(phantom);
        } else {
            INDArray img = images.get(index, rng).inputs().get(0);
            long[] s = img.shape();
            boolean ok =
                    (s.length == 2 && s[0] == rows && s[1] == cols)
                            || (s.length == 3 && s[0] == 1 && s[1] == rows && s[2] == cols);
            if (!ok) {
                throw new IllegalArgumentException(
                        "image "
                                + index
                                + " has shape "
                                + Arrays.toString(s)
                                + ", the simulator expects [1, "
                                + rows
                                + ", "
                                + cols
                                + "] or ["
                                + rows
                                + ", "
                                + cols
                                + "]");
            }
            image = img.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            in = simulator.simulate(image);
        }
        List<INDArray> inputs = new ArrayList<>();
        inputs.add(array(in.sparse(), rows, cols));
        if (in.teacher() != null) {
            inputs.add(array(in.teacher(), rows, cols));
        }
        return new Sample(inputs, List.of(array(image, rows, cols)));
    }

    static INDArray array(double[] v, int rows, int cols) {
        return Nd4j.create(v, new long[] {1, rows, cols}, 'c').castTo(DataType.FLOAT);
    }
}
