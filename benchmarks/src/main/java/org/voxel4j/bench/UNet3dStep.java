package org.voxel4j.bench;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.losses.DiceCeLoss;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.volumetric.nets.UNet;

/**
 * {@code unet3d-step-64}: one training step (forward, softmax cross-entropy + soft Dice, backward,
 * Adam lr 1e-3) of {@code UNet.unet3d(1, 2, [16, 32, 64, 128])} — two (conv 3³ → InstanceNorm →
 * LeakyReLU 0.01) per level, max-pool 2 down, transposed conv k2 s2 up, concatenated skips, 1×1×1
 * head — on a float32 input 1×1×64³ with a random binary label map. PyTorch twin: {@code
 * benchmarks/compare/torch_workloads.py}.
 */
public final class UNet3dStep implements Workload {
    private Trainer trainer;
    private INDArray[] x;
    private INDArray[] y;

    @Override
    public String name() {
        return "unet3d-step-64";
    }

    @Override
    public String description() {
        return "UNet3d [16,32,64,128] training step (CE + soft Dice, Adam 1e-3), input 1x1x64^3 float32";
    }

    /** The benchmark network. */
    public static UNet network() {
        return UNet.unet3d(1, 2, List.of(16, 32, 64, 128));
    }

    @Override
    public void setUp() {
        Model m = Model.create(network(), 1, InputSpec.of("image", -1, 1, -1, -1, -1));
        trainer =
                Trainer.builder(m)
                        .objective(Objective.of(DiceCeLoss.multiClass()))
                        .optimizer(Adam.defaults())
                        .learningRate(1e-3)
                        .build();
        Nd4j.getRandom().setSeed(1);
        x = new INDArray[] {Nd4j.rand(DataType.FLOAT, 1, 1, 64, 64, 64)};
        y =
                new INDArray[] {
                    Nd4j.rand(DataType.FLOAT, 1, 1, 64, 64, 64).gt(0.5).castTo(DataType.FLOAT)
                };
    }

    @Override
    public void run() {
        double loss = trainer.trainStep(x, y);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("loss is " + loss);
        }
    }
}
