package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.Fixtures;

class SpatialTest {
    private static final String DIR = "/fixtures/transforms/";

    @Test
    void rot90AndFlipMatchNumpy() {
        Fixtures.Npy in = Fixtures.npy(DIR + "rot_in.npy");
        INDArray x = VoxelArrays.fromInts(in.ints(), in.shape());
        JsonNode cases = Fixtures.json(DIR + "cases.json").get("cases");
        assertThat(cases.get("rot90").size()).isEqualTo(5);
        for (JsonNode c : cases.get("rot90")) {
            Fixtures.Npy e = Fixtures.npy(DIR + c.get("expected").asText());
            INDArray got =
                    Spatial.rot90(
                            x,
                            c.get("k").asInt(),
                            c.get("axes").get(0).asInt(),
                            c.get("axes").get(1).asInt());
            assertThat(VoxelArrays.shapeOf(got)).as(c.toString()).containsExactly(e.shape());
            assertThat(VoxelArrays.toLabels(got)).as(c.toString()).containsExactly(e.ints());
        }
        JsonNode f = cases.get("flip").get(0);
        Fixtures.Npy e = Fixtures.npy(DIR + f.get("expected").asText());
        assertThat(VoxelArrays.toLabels(Spatial.flip(x, 1, 3))).containsExactly(e.ints());
    }

    @Test
    void centreCropAndPadFollowMonai() {
        INDArray row = VoxelArrays.fromInts(new int[] {1, 2, 3, 4, 5}, new int[] {1, 5});
        // crop 5 -> 2: start 5/2 - 2/2 = 1
        assertThat(VoxelArrays.toLabels(Spatial.cropOrPadCentre(row, new int[] {1, 2}, 0)))
                .containsExactly(2, 3);
        // pad 5 -> 8: (8-5)/2 = 1 before, 2 after
        assertThat(VoxelArrays.toLabels(Spatial.cropOrPadCentre(row, new int[] {1, 8}, -1)))
                .containsExactly(-1, 1, 2, 3, 4, 5, -1, -1);
        // crop one axis, pad the other, with a channel axis carried along
        INDArray img =
                VoxelArrays.fromInts(
                        new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new int[] {2, 3, 2});
        INDArray out = Spatial.cropOrPadCentre(img, new int[] {1, 4}, 0);
        assertThat(out.shape()).containsExactly(2, 1, 4);
        assertThat(VoxelArrays.toLabels(out)).containsExactly(0, 3, 4, 0, 0, 9, 10, 0);
    }

    @Test
    void windowStartingOutsideIsPadded() {
        INDArray m = VoxelArrays.fromInts(new int[] {1, 2, 3, 4}, new int[] {2, 2});
        INDArray w = Spatial.cropOrPad(m, new int[] {-1, 1}, new int[] {3, 2}, 9);
        assertThat(VoxelArrays.toLabels(w)).containsExactly(9, 9, 2, 9, 4, 9);
    }
}
