package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.ops.Padding;

/** How a convolution pads its input, as PyTorch's {@code padding_mode}. */
public enum PadMode {
    ZEROS,
    REFLECT,
    REPLICATE,
    CIRCULAR;

    /** Pads every spatial axis of a channels-first tensor by {@code pads[i]} on both sides. */
    SDVariable pad(SameDiff sd, SDVariable x, List<Integer> pads) {
        int[] p = new int[2 * pads.size()];
        for (int i = 0; i < pads.size(); i++) {
            p[2 * i] = pads.get(i);
            p[2 * i + 1] = pads.get(i);
        }
        Padding.Mode mode =
                switch (this) {
                    case ZEROS -> Padding.Mode.CONSTANT;
                    case REFLECT -> Padding.Mode.REFLECT;
                    case REPLICATE -> Padding.Mode.REPLICATE;
                    case CIRCULAR -> Padding.Mode.CIRCULAR;
                };
        return Padding.pad(sd, x, mode, p);
    }
}
