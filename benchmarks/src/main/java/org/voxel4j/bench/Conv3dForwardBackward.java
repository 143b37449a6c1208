package org.voxel4j.bench;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Graphs;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.layers.Conv;

/**
 * {@code conv3d-fb-64}: a 3D convolution 32→32 channels, kernel 3, padding 1, with bias, on a
 * float32 input 1×32×64×64×64; forward and backward (gradients of {@code sum(y)} with respect to
 * the input, the weight and the bias). PyTorch twin: {@code benchmarks/compare/torch_workloads.py}.
 */
public final class Conv3dForwardBackward implements Workload {
    private Scope scope;
    private List<String> wrt;

    @Override
    public String name() {
        return "conv3d-fb-64";
    }

    @Override
    public String description() {
        return "conv3d 32->32, k3, p1, input 1x32x64^3 float32, forward + backward (input, weight, bias)";
    }

    @Override
    public void setUp() {
        scope = Scope.create(DataType.FLOAT, 1, true);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 32, 64, 64, 64);
        SDVariable xv = scope.sd().var("x", x);
        SDVariable y = scope.call("conv", Conv.conv3d(32, 32, 3), xv);
        SDVariable loss = y.sum();
        scope.sd().setLossVariables(loss);
        Graphs.prepareGradients(scope.sd());
        wrt = List.of("x", "conv/weight", "conv/bias");
    }

    @Override
    public void run() {
        // The engine's gradient path (SameDiff's array cache on), as the trainer uses it.
        Map<String, INDArray> g =
                Engine.gradients(scope.sd(), Map.of(), List.of(), wrt).gradients();
        if (g.size() != 3) {
            throw new IllegalStateException("expected 3 gradients, got " + g.keySet());
        }
        OffHeapMemory.maybeCollect();
    }
}
