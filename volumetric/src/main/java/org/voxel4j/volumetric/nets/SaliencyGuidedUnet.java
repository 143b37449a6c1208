package org.voxel4j.volumetric.nets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Scope;
import org.voxel4j.volumetric.blocks.Axes;
import org.voxel4j.volumetric.transforms.SaliencyMaps;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Saliency-guided U-Net (SDL-Seg; paper only): a U-Net whose input has one extra channel, a
 * saliency map computed from user marker points: marker coordinates → binary marker volume → exact
 * Euclidean distance transform with the voxel spacing → Gaussian of the distance, {@code exp(-d² /
 * (2σ²))}, in [0, 1] ({@link SaliencyMaps}). The network input is {@code [CT channels...,
 * saliency]}; {@link #input} builds it.
 *
 * <p>For training, markers are simulated from the reference label: {@link #simulateMarkers} draws
 * up to {@code markersPerStructure} points inside each foreground structure present in a patch. The
 * parameters are exactly those of {@code unet} (whose {@code inChannels} counts the saliency
 * channel), under the same names.
 *
 * @param unet the underlying U-Net; {@code unet.inChannels()} = image channels + 1
 * @param sigmaMm width of the Gaussian in millimetres
 * @param markersPerStructure markers simulated per foreground label during training (≥ 1)
 */
public record SaliencyGuidedUnet(UNet unet, double sigmaMm, int markersPerStructure)
        implements SegmentationNetwork {

    public SaliencyGuidedUnet {
        if (unet == null) {
            throw new IllegalArgumentException("SaliencyGuidedUnet needs a unet");
        }
        if (unet.inChannels() < 2) {
            throw new IllegalArgumentException(
                    "SaliencyGuidedUnet's unet needs >= 2 input channels (image + saliency), got "
                            + unet.inChannels());
        }
        if (!(sigmaMm > 0) || Double.isInfinite(sigmaMm)) {
            throw new IllegalArgumentException(
                    "SaliencyGuidedUnet sigmaMm must be finite and > 0, got " + sigmaMm);
        }
        Axes.checkPositive("SaliencyGuidedUnet", "markersPerStructure", markersPerStructure);
    }

    /**
     * A 3D saliency-guided U-Net over {@code imageChannels} CT channels: {@link UNet#unet3d} with
     * one more input channel.
     */
    public static SaliencyGuidedUnet saliencyUnet3d(
            int imageChannels, int numClasses, List<Integer> channels, double sigmaMm) {
        return new SaliencyGuidedUnet(
                UNet.unet3d(imageChannels + 1, numClasses, channels), sigmaMm, 3);
    }

    @Override
    public int spatialDims() {
        return unet.spatialDims();
    }

    @Override
    public int inChannels() {
        return unet.inChannels();
    }

    @Override
    public int numClasses() {
        return unet.numClasses();
    }

    @Override
    public int[] divisor() {
        return unet.divisor();
    }

    @Override
    public SaliencyGuidedUnet withNumClasses(int c) {
        return new SaliencyGuidedUnet(unet.withNumClasses(c), sigmaMm, markersPerStructure);
    }

    /** Image channels (without the saliency channel). */
    public int imageChannels() {
        return unet.inChannels() - 1;
    }

    /**
     * The network input {@code [C + 1, *S]}: the image {@code [C, *S]} (or {@code [*S]} for one
     * channel) with the saliency map of {@code markers} appended.
     *
     * @param markers voxel indices in the image's array order
     * @param spacingMm spacing per spatial axis in array order
     */
    public INDArray input(INDArray image, List<int[]> markers, double[] spacingMm) {
        int[] shape = VoxelArrays.shapeOf(image);
        int sd = unet.spatialDims();
        int[] spatial = Arrays.copyOfRange(shape, shape.length - sd, shape.length);
        INDArray img = shape.length == sd ? image.reshape(prepend(1, spatial)) : image;
        if (img.size(0) != imageChannels()) {
            throw new IllegalArgumentException(
                    "image has "
                            + img.size(0)
                            + " channel(s), the network expects "
                            + imageChannels()
                            + " (shape "
                            + Arrays.toString(shape)
                            + ")");
        }
        INDArray sal = SaliencyMaps.fromMarkersArray(spatial, markers, spacingMm, sigmaMm);
        return Nd4j.concat(
                0,
                img.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                sal.reshape(prepend(1, spatial)));
    }

    /**
     * Up to {@code markersPerStructure} voxels drawn uniformly inside each non-zero label of {@code
     * labels} (flat, C order, shape {@code spatial}); a stand-in for user clicks.
     */
    public List<int[]> simulateMarkers(int[] labels, int[] spatial, Random rng) {
        java.util.TreeMap<Integer, List<Integer>> byLabel = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> voxels : byLabel.values()) {
            int n = 1 + rng.nextInt(markersPerStructure);
            for (int m = 0; m < n; m++) {
                out.add(unravel(voxels.get(rng.nextInt(voxels.size())), spatial));
            }
        }
        return out;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    private static long[] prepend(long first, int[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        for (int i = 0; i < rest.length; i++) {
            out[i + 1] = rest[i];
        }
        return out;
    }

    /** Number of learnable parameters (those of the U-Net). */
    @Override
    public long parameterCount() {
        return unet.parameterCount();
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        // Same scope, so the parameter names are the U-Net's: weights move between the two.
        return unet.forward(s, inputs);
    }
}
