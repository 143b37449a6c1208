package org.voxel4j.recon.enhance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.recon.sim.HuConversion;

/**
 * The axial slices of CT volumes ({@code [D, H, W]}, e.g. read with {@code VolumeIO}) as a {@link
 * Dataset} of images {@code [1, H, W]} (input and target are the same slice), after an intensity
 * transform; feed it to {@link SparseViewPairs#of} to train on real anatomy.
 */
public final class VolumeSlices implements Dataset {
    private final List<Volume> volumes;
    private final int[] start;
    private final int total;
    private final DoubleUnaryOperator intensity;

    /**
     * @param volumes volumes of equal in-plane size
     * @param intensity applied to every voxel (e.g. {@link #huToMu()})
     */
    public VolumeSlices(List<Volume> volumes, DoubleUnaryOperator intensity) {
        if (volumes == null || volumes.isEmpty()) {
            throw new IllegalArgumentException("need at least one volume");
        }
        if (intensity == null) {
            throw new IllegalArgumentException("intensity transform must not be null");
        }
        this.volumes = List.copyOf(volumes);
        this.intensity = intensity;
        this.start = new int[volumes.size() + 1];
        long[] first = volumes.get(0).data().shape();
        for (int i = 0; i < volumes.size(); i++) {
            long[] s = volumes.get(i).data().shape();
            if (s.length != 3 || s[1] != first[1] || s[2] != first[2]) {
                throw new IllegalArgumentException(
                        "volume "
                                + i
                                + " has shape "
                                + Arrays.toString(s)
                                + ", expected [D, "
                                + first[first.length - 2]
                                + ", "
                                + first[first.length - 1]
                                + "]");
            }
            start[i + 1] = Math.addExact(start[i], (int) s[0]);
        }
        this.total = start[volumes.size()];
    }

    /**
     * GloReDi's conversion {@code μ = HU/1000 · 0.192 + 0.192} (linear attenuation of water 0.192
     * per cm), clamped at 0.
     */
    public static DoubleUnaryOperator huToMu() {
        return hu -> Math.max(0, HuConversion.muFromHu(hu, HuConversion.MU_WATER_PER_CM));
    }

    @Override
    public int size() {
        return total;
    }

    @Override
    public Sample get(int index, RandomGenerator rng) {
        if (index < 0 || index >= total) {
            throw new IndexOutOfBoundsException("slice " + index + " outside [0, " + total + ")");
        }
        int v = 0;
        while (start[v + 1] <= index) {
            v++;
        }
        INDArray data = volumes.get(v).data();
        INDArray slice =
                data.get(
                                NDArrayIndex.point(index - start[v]),
                                NDArrayIndex.all(),
                                NDArrayIndex.all())
                        .castTo(DataType.DOUBLE)
                        .dup('c');
        double[] values = slice.data().asDouble();
        for (int i = 0; i < values.length; i++) {
            values[i] = intensity.applyAsDouble(values[i]);
        }
        INDArray out =
                Nd4j.create(values, new long[] {1, slice.size(0), slice.size(1)}, 'c')
                        .castTo(DataType.FLOAT);
        return new Sample(new ArrayList<>(List.of(out)), List.of(out));
    }
}
