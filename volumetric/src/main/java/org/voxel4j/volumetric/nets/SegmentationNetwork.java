package org.voxel4j.volumetric.nets;

import org.voxel4j.nn.Module;

/**
 * A segmentation network of this package: image channels in, one logit per class out at the input
 * resolution, with deep-supervision heads published as described in {@link SegmentationNets}.
 * Training and inference use these facts to check patch sizes and channel counts before anything
 * runs.
 */
public interface SegmentationNetwork extends Module {

    /** 2 or 3. */
    int spatialDims();

    /** Input channels the network takes (including any guidance channel). */
    int inChannels();

    /** Output channels: classes including background. */
    int numClasses();

    /** Every spatial input size must be a multiple of this, per axis. */
    int[] divisor();

    /** The same network with another number of output classes (new heads). */
    SegmentationNetwork withNumClasses(int numClasses);

    /** Number of learnable parameters, from the configuration alone. */
    long parameterCount();

    /** Throws a clear error unless {@code spatialSize} fits this network. */
    default void checkInputSize(int[] spatialSize) {
        int[] d = divisor();
        if (spatialSize.length != spatialDims()) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " is "
                            + spatialDims()
                            + "D, got a "
                            + spatialSize.length
                            + "D size "
                            + java.util.Arrays.toString(spatialSize));
        }
        for (int a = 0; a < d.length; a++) {
            if (spatialSize[a] < 1 || spatialSize[a] % d[a] != 0) {
                throw new IllegalArgumentException(
                        getClass().getSimpleName()
                                + " needs spatial sizes that are multiples of "
                                + java.util.Arrays.toString(d)
                                + " (its down-sampling), got "
                                + java.util.Arrays.toString(spatialSize));
            }
        }
    }
}
