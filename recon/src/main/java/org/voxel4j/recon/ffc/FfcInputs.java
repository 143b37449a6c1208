package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;

/** Input conventions of the FFC modules: features, optionally a DFT size reference. */
final class FfcInputs {
    private FfcInputs() {}

    static void check(Module m, SDVariable[] inputs) {
        if (inputs == null || inputs.length < 1 || inputs.length > 2) {
            throw new IllegalArgumentException(
                    m.getClass().getSimpleName()
                            + " takes the features and optionally a size reference, got "
                            + (inputs == null ? 0 : inputs.length)
                            + " input(s)");
        }
    }

    /** The tensor whose spatial size defines the DFT matrices. */
    static SDVariable reference(SDVariable[] inputs) {
        return inputs.length == 2 ? inputs[1] : inputs[0];
    }

    /** {@code x} with the reference of {@code inputs}, if any. */
    static SDVariable[] with(SDVariable x, SDVariable[] inputs) {
        return inputs.length == 2 ? new SDVariable[] {x, inputs[1]} : new SDVariable[] {x};
    }
}
