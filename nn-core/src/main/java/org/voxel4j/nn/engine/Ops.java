package org.voxel4j.nn.engine;

import java.util.List;

/** The engine's op classes, registered with SameDiff by {@link Engine#install()}. */
final class Ops {
    private Ops() {}

    static List<JavaOp> prototypes() {
        return List.of(
                new NormOps.ChannelNormOp(),
                new NormOps.ChannelNormBpOp(),
                new NormOps.RowNormOp(),
                new NormOps.RowNormBpOp());
    }
}
