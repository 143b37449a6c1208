package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VolumeTest {
    @Test
    void ofSpacingBuildsAxisAlignedAffine() {
        Volume v = Volume.of(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), 2.5, 0.75, 0.5);
        assertThat(v.dims()).containsExactly(4, 3, 2);
        assertThat(v.spacing()).containsExactly(0.5, 0.75, 2.5);
        assertThat(v.spacingDhw()).containsExactly(2.5, 0.75, 0.5);
        assertThat(v.affine())
                .isDeepEqualTo(
                        new double[][] {
                            {0.5, 0, 0, 0}, {0, 0.75, 0, 0}, {0, 0, 2.5, 0}, {0, 0, 0, 1}
                        });
        assertThat(v.origin()).containsExactly(0, 0, 0);
        assertThat(v.zooms()).containsExactly(0.5, 0.75, 2.5);
        assertThat(v.format()).isEqualTo(Volume.FORMAT_MEMORY);
        assertThat(v.sourceDataType()).isEqualTo("float32");
        assertThat(v.spatialUnit()).isEqualTo("mm");

        Volume flat = Volume.of(Nd4j.zeros(DataType.INT16, 3, 4), 0.5, 0.25);
        assertThat(flat.dims()).containsExactly(4, 3);
        assertThat(flat.spacing()).containsExactly(0.25, 0.5, 1.0);
        Volume unit = Volume.of(Nd4j.zeros(DataType.INT16, 1, 3, 4));
        assertThat(unit.spacing()).containsExactly(1, 1, 1);
        Volume four = Volume.of(Nd4j.zeros(DataType.INT16, 5, 1, 3, 4), 3, 2, 1);
        assertThat(four.dims()).containsExactly(4, 3, 1, 5);
        assertThat(four.zooms()).containsExactly(1, 2, 3, 1);
    }

    @Test
    void affineFactoryDerivesSpacingAndDirection() {
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[][] a = {{2 * c, -3 * s, 0, 10}, {2 * s, 3 * c, 0, -5}, {0, 0, 4, 1}, {0, 0, 0, 1}};
        Volume v = Volume.of(Nd4j.zeros(DataType.FLOAT, 2, 2, 2), a);
        assertThat(v.spacing()).containsExactly(new double[] {2, 3, 4}, within(1e-12));
        assertThat(v.origin()).containsExactly(10, -5, 1);
        double[][] d = v.direction();
        assertThat(d[0]).containsExactly(new double[] {c, -s, 0}, within(1e-12));
        assertThat(d[1]).containsExactly(new double[] {s, c, 0}, within(1e-12));
        // defensive copies
        v.affine()[0][3] = 99;
        v.spacing()[0] = 99;
        assertThat(v.origin()[0]).isEqualTo(10);
        assertThat(v.spacing()[0]).isCloseTo(2, within(1e-12));
        a[0][3] = 77;
        assertThat(v.origin()[0]).isEqualTo(10);
    }

    @Test
    void withDataKeepsGeometryAndChecksShape() {
        Volume v = Volume.of(Nd4j.zeros(DataType.INT16, 2, 3, 4), 3, 2, 1);
        Volume probs = v.withData(Nd4j.zeros(DataType.FLOAT, 5, 2, 3, 4));
        assertThat(probs.affine()).isDeepEqualTo(v.affine());
        assertThat(probs.dims()).containsExactly(4, 3, 2, 5);
        assertThat(probs.spacingDhw()).containsExactly(3, 2, 1);
        Volume same = v.withData(Nd4j.ones(DataType.UINT8, 2, 3, 4));
        assertThat(same.dataType()).isEqualTo(DataType.UINT8);
        assertThatThrownBy(() -> v.withData(Nd4j.zeros(DataType.FLOAT, 2, 3, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("new data shape [2, 3, 5]")
                .hasMessageContaining("[2, 3, 4]");
        assertThat(v.withDescription("x").description()).isEqualTo("x");
        assertThat(v.withTimeStep(0.5, "sec").timeUnit()).isEqualTo("sec");
    }

    @Test
    void rejectsInvalidGeometry() {
        INDArray d = Nd4j.zeros(DataType.FLOAT, 2, 2, 2);
        assertThatThrownBy(() -> Volume.of(d, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected finite values > 0");
        assertThatThrownBy(() -> Volume.of(d, 1, 1))
                .hasMessageContaining("spacingDhw [1.0, 1.0]")
                .hasMessageContaining("expected 3 values");
        double[][] bad = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 1, 1}};
        assertThatThrownBy(() -> Volume.of(d, bad)).hasMessageContaining("affine last row");
        double[][] flat = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}};
        assertThatThrownBy(() -> Volume.of(d, flat))
                .hasMessageContaining("column 2 has zero length");
        assertThatThrownBy(() -> Volume.of(Nd4j.zeros(DataType.FLOAT, 1, 1, 1, 1, 2)))
                .hasMessageContaining("expected 1 to 4");
    }

    @Test
    void minAndMaxAfterScaling() throws IOException {
        Volume v = NiftiIO.read(Fixtures.file("nifti", "n1_int16_scaled.nii"));
        // raw int16 extremes -32768 and 32767 scaled by 0.5 and -1024
        assertThat(v.minValue()).isEqualTo(-32768 * 0.5 - 1024);
        assertThat(v.maxValue()).isEqualTo(32767 * 0.5 - 1024);
        Volume b = Volume.of(Nd4j.createFromArray(new boolean[] {false, true}).reshape(1, 1, 2));
        assertThat(b.minValue()).isZero();
        assertThat(b.maxValue()).isEqualTo(1);
    }
}
