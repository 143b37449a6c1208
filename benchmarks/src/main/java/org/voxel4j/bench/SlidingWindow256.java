package org.voxel4j.bench;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.volumetric.inference.SlidingWindow;

/**
 * {@code sliding-window-256}: inference of the {@code unet3d-step-64} network on a 1×256³ float32
 * volume with 96³ windows, overlap 0.5, Gaussian importance weighting (σ = patch/8), one window per
 * batch. PyTorch twin: {@code benchmarks/compare/torch_workloads.py}.
 */
public final class SlidingWindow256 implements Workload {
    private Model model;
    private INDArray image;
    private SlidingWindow window;

    @Override
    public String name() {
        return "sliding-window-256";
    }

    @Override
    public String description() {
        return "UNet3d [16,32,64,128] sliding-window inference, 1x256^3, patch 96^3, overlap 0.5, Gaussian";
    }

    @Override
    public void setUp() {
        model = Model.create(UNet3dStep.network(), 1, InputSpec.of("image", -1, 1, -1, -1, -1));
        Nd4j.getRandom().setSeed(2);
        image = Nd4j.rand(DataType.FLOAT, 1, 256, 256, 256);
        window = SlidingWindow.of(List.of(96, 96, 96)).withOverlap(0.5).withGaussian(true);
    }

    @Override
    public void run() {
        INDArray out = window.run(model, image, null);
        if (out.size(0) != 2) {
            throw new IllegalStateException("expected 2 output channels, got " + out.size(0));
        }
    }
}
