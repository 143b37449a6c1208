package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.Fixtures;
import org.voxel4j.volumetric.transforms.Resample.Interpolation;

class ResampleTest {
    private static final String DIR = "/fixtures/transforms/";

    @Test
    void matchesTorchInterpolateHalfPixelGrid() {
        Fixtures.Npy in = Fixtures.npy(DIR + "resize_in.npy");
        INDArray x = VoxelArrays.fromFloats(in.floats(), in.shape());
        JsonNode cases = Fixtures.json(DIR + "cases.json").get("cases").get("resize");
        assertThat(cases.size()).isEqualTo(3);
        for (JsonNode c : cases) {
            int[] size = new int[3];
            for (int i = 0; i < 3; i++) {
                size[i] = c.get("size").get(i).asInt();
            }
            Fixtures.Npy lin = Fixtures.npy(DIR + c.get("linear").asText());
            Fixtures.Npy near = Fixtures.npy(DIR + c.get("nearest").asText());
            INDArray gotLin = Resample.resize(x, size, Interpolation.LINEAR);
            INDArray gotNear = Resample.resize(x, size, Interpolation.NEAREST);
            assertThat(gotLin.shape()).containsExactly(size[0], size[1], size[2]);
            double[] gl = VoxelArrays.toDoubles(gotLin);
            for (int i = 0; i < gl.length; i++) {
                assertThat(gl[i]).isCloseTo(lin.data()[i], within(2e-6));
            }
            assertThat(VoxelArrays.toDoubles(gotNear)).containsExactly(near.data());
        }
    }

    @Test
    void toSpacingKeepsThePhysicalExtentAndCarriesChannels() {
        INDArray x = VoxelArrays.fromFloats(new float[2 * 10 * 8 * 6], new int[] {2, 10, 8, 6});
        Resample.Resampled r =
                Resample.toSpacing(
                        x,
                        new double[] {1.5, 1.0, 1.0},
                        new double[] {1.0, 0.7, 2.0},
                        Interpolation.LINEAR);
        // 10*1.5/1 = 15; 8/0.7 = 11.43 -> 11; 6/2 = 3
        assertThat(r.data().shape()).containsExactly(2, 15, 11, 3);
        assertThat(r.spacingMm()[0]).isEqualTo(1.0);
        assertThat(r.spacingMm()[1]).isCloseTo(8.0 / 11, within(1e-15));
        assertThat(r.spacingMm()[2]).isEqualTo(2.0);
    }

    @Test
    void nearestKeepsLabelValuesAndType() {
        INDArray labels = VoxelArrays.fromInts(new int[] {0, 3, 3, 7}, new int[] {2, 2});
        INDArray up = Resample.resize(labels, new int[] {4, 4}, Interpolation.NEAREST);
        assertThat(up.dataType()).isEqualTo(DataType.INT);
        assertThat(VoxelArrays.toLabels(up))
                .containsExactly(0, 0, 3, 3, 0, 0, 3, 3, 3, 3, 7, 7, 3, 3, 7, 7);
    }

    @Test
    void linearOfAConstantIsTheConstantAndOfARampIsLinearInside() {
        // A ramp 0, 1, ..., 3 upsampled to 8: interior samples at (j + 0.5) / 2 - 0.5.
        INDArray ramp = VoxelArrays.fromFloats(new float[] {0, 1, 2, 3}, new int[] {1, 4});
        double[] up =
                VoxelArrays.toDoubles(
                        Resample.resize(ramp, new int[] {1, 8}, Interpolation.LINEAR));
        assertThat(up).containsExactly(0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3);
    }
}
