package org.voxel4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Shapes;

/**
 * {@link Conv#forwardOnConcat}: in evaluation the convolution of a channel concatenation is the sum
 * of per-piece convolutions with weight slices; it must equal the convolution of the built
 * concatenation (linearity of convolution in its input channels) and use the same parameters.
 */
class ConvOnConcatTest {

    private static INDArray run(
            boolean split, boolean training, Conv conv, INDArray a, INDArray b) {
        SameDiff sd = SameDiff.create();
        ParameterStore store = new ParameterStore();
        Scope s = Scope.root(sd, store, DataType.DOUBLE, 11, training);
        SDVariable av = sd.constant("a", a);
        SDVariable bv = sd.constant("b", b);
        List<Integer> ch = List.of((int) a.size(1), (int) b.size(1));
        SDVariable y =
                split
                        ? conv.forwardOnConcat(s.child("c"), ch, av, bv)
                        : s.call("c", conv, Shapes.concatChannels(sd, av, bv));
        assertThat(store.parameterNames()).containsExactly("c/weight", "c/bias");
        boolean concatenated =
                sd.getOps().values().stream().anyMatch(o -> o.getOp().opName().contains("concat"));
        // evaluation with the split never builds the concatenation; training does
        assertThat(concatenated).isEqualTo(!split || training);
        return sd.output(Map.of(), y.name()).get(y.name());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void equalsTheConvolutionOfTheConcatenation(int dims) {
        Nd4j.getRandom().setSeed(5);
        long[] sa = dims == 3 ? new long[] {2, 3, 5, 6, 4} : new long[] {2, 3, 7, 6};
        long[] sb = sa.clone();
        sb[1] = 2;
        INDArray a = Nd4j.randn(DataType.DOUBLE, sa);
        INDArray b = Nd4j.randn(DataType.DOUBLE, sb);
        Conv conv = dims == 3 ? Conv.conv3d(5, 4, 3) : Conv.conv2d(5, 4, 3);
        INDArray reference = run(false, false, conv, a, b);
        for (boolean training : new boolean[] {false, true}) {
            INDArray y = run(true, training, conv, a, b);
            assertThat(y.shape()).containsExactly(reference.shape());
            assertThat(y.sub(reference).amaxNumber().doubleValue())
                    .as("training " + training)
                    .isLessThan(1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void piecesMustMakeTheInputChannels(int total) {
        Conv conv = Conv.conv3d(5, 4, 3);
        SameDiff sd = SameDiff.create();
        Scope s = Scope.root(sd, new ParameterStore(), DataType.DOUBLE, 1, false);
        SDVariable x = sd.constant(Nd4j.zeros(DataType.DOUBLE, 1, 2, 3, 3, 3));
        assertThatThrownBy(() -> conv.forwardOnConcat(s, List.of(2, total - 2), x, x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 input channels");
    }
}
