package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RawDataTest {
    @Test
    void halfToFloatMatchesIeeeBinary16() {
        // bit patterns from IEEE 754-2008 binary16 worked by hand
        assertThat(RawData.halfToFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(RawData.halfToFloat((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(RawData.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(RawData.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(RawData.halfToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(RawData.halfToFloat((short) 0x03FF)).isEqualTo(1023 * (float) Math.pow(2, -24));
        assertThat(RawData.halfToFloat((short) 0x8000)).isEqualTo(-0.0f);
        assertThat(RawData.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(RawData.halfToFloat((short) 0x7E00)).isNaN();
    }

    @Test
    void scaleBlocksUsesEachBlocksFactors() {
        INDArray raw = Nd4j.createFromArray(new short[] {1, 2, -3, 4}).reshape(2, 2);
        INDArray f =
                RawData.scaleBlocks(
                        raw, ElementType.INT16, new double[] {2, 0.5}, new double[] {1, -1}, 2);
        assertThat(f.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(f.reshape(4).toFloatVector()).containsExactly(3f, 5f, -2.5f, 1f);
        INDArray big = Nd4j.createFromArray(new int[] {-7, Integer.MAX_VALUE});
        INDArray d = RawData.scale(big, ElementType.INT32, 0.1, 0);
        assertThat(d.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(d.toDoubleVector()).containsExactly(-7 * 0.1, Integer.MAX_VALUE * 0.1);
    }
}
