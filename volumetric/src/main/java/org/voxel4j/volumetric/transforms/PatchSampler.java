package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Draws fixed-size training patches with foreground oversampling (as nnU-Net does): with
 * probability {@code foregroundProbability} the patch is centred on a foreground voxel (label &ne;
 * 0) drawn uniformly, otherwise its position is uniform over the volume. The patch is then shifted
 * to lie inside the volume where the volume is large enough (the chosen voxel stays inside it);
 * along axes where the volume is smaller than the patch, the volume is centred and padded (image
 * with {@code imagePadValue}, label with 0).
 *
 * @param patchSize spatial patch size (2 or 3 axes)
 * @param foregroundProbability probability of centring on foreground, in [0, 1]
 * @param imagePadValue image value used for padding (e.g. the air value after normalisation)
 */
public record PatchSampler(int[] patchSize, double foregroundProbability, double imagePadValue) {

    public PatchSampler {
        patchSize = patchSize.clone();
        if (patchSize.length < 2 || patchSize.length > 3) {
            throw new IllegalArgumentException(
                    "patch size " + Arrays.toString(patchSize) + "; expected 2 or 3 axes");
        }
        for (int s : patchSize) {
            if (s <= 0) {
                throw new IllegalArgumentException(
                        "patch size " + Arrays.toString(patchSize) + " has a non-positive axis");
            }
        }
        if (!(foregroundProbability >= 0 && foregroundProbability <= 1)) {
            throw new IllegalArgumentException(
                    "foregroundProbability " + foregroundProbability + "; expected [0, 1]");
        }
    }

    @Override
    public int[] patchSize() {
        return patchSize.clone();
    }

    /**
     * A sampled patch.
     *
     * @param image image patch (leading channel axes kept)
     * @param label label patch, or null when no label was given
     * @param start position of the patch's first voxel in the volume (negative where padded)
     * @param foreground whether the patch was centred on a foreground voxel
     */
    public record Patch(INDArray image, INDArray label, int[] start, boolean foreground) {}

    /**
     * Samples one patch. {@code label} (spatial shape of {@code image}'s trailing axes) may be
     * null, then no foreground oversampling happens.
     */
    public Patch sample(INDArray image, INDArray label, Random rng) {
        int[] shape = VoxelArrays.shapeOf(image);
        int r = patchSize.length;
        if (shape.length < r) {
            throw new IllegalArgumentException(
                    "image shape "
                            + Arrays.toString(shape)
                            + " has fewer axes than patch "
                            + Arrays.toString(patchSize));
        }
        int[] spatial = Arrays.copyOfRange(shape, shape.length - r, shape.length);
        int[] lab = null;
        if (label != null) {
            int[] ls = VoxelArrays.shapeOf(label);
            if (!Arrays.equals(ls, spatial)) {
                throw new IllegalArgumentException(
                        "label shape "
                                + Arrays.toString(ls)
                                + " differs from the image's spatial shape "
                                + Arrays.toString(spatial));
            }
            lab = VoxelArrays.toLabels(label);
        }
        boolean wantForeground = rng.nextDouble() < foregroundProbability;
        int[] centre = null;
        if (wantForeground && lab != null) {
            int count = 0;
            for (int v : lab) {
                count += v != 0 ? 1 : 0;
            }
            if (count > 0) {
                int pick = rng.nextInt(count);
                for (int i = 0; i < lab.length; i++) {
                    if (lab[i] != 0 && pick-- == 0) {
                        centre = unravel(i, spatial);
                        break;
                    }
                }
            }
        }
        int[] start = new int[r];
        for (int a = 0; a < r; a++) {
            int n = spatial[a];
            int p = patchSize[a];
            if (n <= p) {
                start[a] = -((p - n) / 2);
            } else if (centre != null) {
                start[a] = Math.max(0, Math.min(n - p, centre[a] - p / 2));
            } else {
                start[a] = rng.nextInt(n - p + 1);
            }
        }
        INDArray imgPatch = Spatial.cropOrPad(image, start, patchSize, imagePadValue);
        INDArray labPatch = label == null ? null : Spatial.cropOrPad(label, start, patchSize, 0);
        return new Patch(imgPatch, labPatch, start, centre != null);
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }
}
