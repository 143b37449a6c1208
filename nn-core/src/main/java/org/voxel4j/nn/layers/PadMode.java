package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** How a convolution pads its input, as PyTorch's {@code padding_mode}. */
public enum PadMode {
    ZEROS,
    REFLECT,
    REPLICATE,
    CIRCULAR;

    /** Pads every spatial axis of a channels-first tensor by {@code pads[i]} on both sides. */
    SDVariable pad(SameDiff sd, SDVariable x, List<Integer> pads) {
        throw new UnsupportedOperationException("padding mode " + this + " is not wired yet");
    }
}
