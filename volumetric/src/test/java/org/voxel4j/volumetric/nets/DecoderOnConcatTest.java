package org.voxel4j.volumetric.nets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;

/**
 * The U-Net's evaluation graph convolves the up-sampled path and the skip separately instead of
 * their concatenation (nn-core {@code Conv.forwardOnConcat}) while the training graph builds the
 * concatenation as before; with instance norm, evaluation and training compute the same function,
 * so the two graphs must agree.
 */
class DecoderOnConcatTest {

    @Test
    void evaluationGraphEqualsTrainingGraphForAnInstanceNormUNet() {
        Model m =
                Model.create(
                        UNet.unet3d(1, 3, List.of(4, 8, 16)),
                        9,
                        DataType.DOUBLE,
                        InputSpec.of("image", -1, 1, -1, -1, -1));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 12, 8);
        INDArray eval = m.predict(x);
        Model.Graph g = m.build(SameDiff.create(), true);
        INDArray train =
                g.sd().output(Map.of("image", x), g.output().name()).get(g.output().name());
        assertThat(eval.shape()).containsExactly(2, 3, 8, 12, 8);
        assertThat(eval.sub(train).amaxNumber().doubleValue()).isLessThan(1e-10);
        assertThat(eval.amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }
}
