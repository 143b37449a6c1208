package org.voxel4j.volumetric.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.transforms.Augmentation;
import org.voxel4j.volumetric.transforms.PatchSampler;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Training samples of fixed-size patches drawn from preprocessed cases: sample {@code i} comes from
 * case {@code i mod n}, its position is drawn by a {@link PatchSampler} (foreground oversampling as
 * nnU-Net: with probability {@code foregroundProbability} centred on a foreground voxel) and then
 * augmented ({@link Augmentation}). All randomness comes from the generator the trainer passes,
 * which is seeded from the trainer seed, the epoch and the index, so runs are reproducible and
 * resumable.
 *
 * <p>Inputs are {@code [C, *patch]} (with a saliency channel appended when a {@link
 * SaliencyGuidedUnet} is given: markers simulated from the patch's label); targets are the label
 * patch {@code [1, *patch]} as FLOAT class indices.
 *
 * <p>A 2D patch size on 3D cases trains a 2D network on axial slices: a slice is drawn first (one
 * containing foreground with probability {@code foregroundProbability}), then a 2D patch in it.
 */
public final class PatchDataset implements Dataset {

    private final List<SegmentationCase> cases;
    private final int[] patchSize;
    private final int samplesPerEpoch;
    private final double foregroundProbability;
    private final Augmentation augmentation;
    private final SaliencyGuidedUnet saliency;
    private final PatchSampler sampler;
    private final List<int[]> foregroundSlices = new ArrayList<>();

    /**
     * @param cases preprocessed cases
     * @param patchSize 3 (or 2, for slice-wise 2D training) spatial sizes
     * @param samplesPerEpoch samples per epoch
     * @param foregroundProbability probability of centring a patch on foreground
     * @param augmentation augmentation (use {@link Augmentation#none()} for none)
     * @param saliency the saliency-guided network whose guidance channel to simulate, or null
     * @param padValue image value where a patch reaches beyond a case
     */
    public PatchDataset(
            List<SegmentationCase> cases,
            int[] patchSize,
            int samplesPerEpoch,
            double foregroundProbability,
            Augmentation augmentation,
            SaliencyGuidedUnet saliency,
            double padValue) {
        if (cases == null || cases.isEmpty()) {
            throw new IllegalArgumentException("PatchDataset needs at least one case");
        }
        if (samplesPerEpoch < 1) {
            throw new IllegalArgumentException(
                    "samplesPerEpoch must be >= 1, got " + samplesPerEpoch);
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation must not be null (use none())");
        }
        this.cases = List.copyOf(cases);
        this.patchSize = patchSize.clone();
        this.samplesPerEpoch = samplesPerEpoch;
        this.foregroundProbability = foregroundProbability;
        this.augmentation = augmentation;
        this.saliency = saliency;
        this.sampler = new PatchSampler(patchSize, foregroundProbability, padValue);
        if (patchSize.length == 2) {
            for (SegmentationCase c : cases) {
                int[] shape = c.shape();
                int[] lab = VoxelArrays.toLabels(c.label());
                int plane = shape[1] * shape[2];
                List<Integer> fg = new ArrayList<>();
                for (int d = 0; d < shape[0]; d++) {
                    for (int i = d * plane; i < (d + 1) * plane; i++) {
                        if (lab[i] != 0) {
                            fg.add(d);
                            break;
                        }
                    }
                }
                foregroundSlices.add(fg.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    @Override
    public int size() {
        return samplesPerEpoch;
    }

    @Override
    public Sample get(int index, RandomGenerator rng) {
        int ci = index % cases.size();
        SegmentationCase c = cases.get(ci);
        Random r = new Random(rng.nextLong());
        INDArray image = c.image();
        INDArray label = c.label();
        double[] spacing = c.spacingMm();
        if (patchSize.length == 2) {
            int[] fg = foregroundSlices.get(ci);
            int d =
                    fg.length > 0 && r.nextDouble() < foregroundProbability
                            ? fg[r.nextInt(fg.length)]
                            : r.nextInt(c.shape()[0]);
            image = image.get(NDArrayIndex.all(), NDArrayIndex.point(d)).dup();
            label = label.get(NDArrayIndex.point(d)).dup();
            spacing = new double[] {spacing[1], spacing[2]};
        }
        PatchSampler.Patch p = sampler.sample(image, label, r);
        Augmentation.Pair a = augmentation.apply(p.image(), p.label(), spacing, r);
        INDArray img = a.image().castTo(DataType.FLOAT);
        INDArray lab = a.label();
        if (saliency != null) {
            List<int[]> markers = saliency.simulateMarkers(VoxelArrays.toLabels(lab), patchSize, r);
            img = saliency.input(img, markers, spacing);
        }
        long[] ts = new long[patchSize.length + 1];
        ts[0] = 1;
        for (int i = 0; i < patchSize.length; i++) {
            ts[i + 1] = patchSize[i];
        }
        return Sample.of(img, lab.castTo(DataType.FLOAT).reshape(ts));
    }

    /** The patch size. */
    public int[] patchSize() {
        return Arrays.copyOf(patchSize, patchSize.length);
    }
}
