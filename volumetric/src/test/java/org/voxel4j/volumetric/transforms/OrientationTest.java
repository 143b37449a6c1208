package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.Fixtures;

/** Reorientation to RAS+ against nibabel's {@code as_closest_canonical} (fixtures/data). */
class OrientationTest {

    static final JsonNode CASES = Fixtures.json("/fixtures/data/cases.json");

    static double[][] affine(JsonNode n) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                a[r][c] = n.get(r).get(c).asDouble();
            }
        }
        return a;
    }

    @Test
    void matchesNibabelClosestCanonical() {
        for (String name : new String[] {"lps_oblique", "permuted", "already_ras"}) {
            Fixtures.Npy in = Fixtures.npy("/fixtures/data/" + name + "_in.npy");
            Fixtures.Npy out = Fixtures.npy("/fixtures/data/" + name + "_out.npy");
            double[][] a = affine(CASES.get(name).get("affine_in"));
            Orientation.Transform t = Orientation.toRas(a, in.shape());
            INDArray x = VoxelArrays.fromFloats(in.floats(), in.shape());
            INDArray y = t.apply(x);
            assertThat(VoxelArrays.shapeOf(y)).as(name).containsExactly(out.shape());
            assertThat(VoxelArrays.toDoubles(y)).as(name).containsExactly(out.data());
            double[][] got = t.affine(a);
            double[][] want = affine(CASES.get(name).get("affine_out"));
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(got[r][c]).as(name + " affine").isCloseTo(want[r][c], within(1e-9));
                }
            }
            // inverse restores the input; mapIndex agrees with the data movement
            assertThat(VoxelArrays.toDoubles(t.inverse().apply(y))).containsExactly(in.data());
            int[] idx = {2, 1, 3};
            int[] m = t.mapIndex(idx);
            assertThat(y.getDouble(m[0], m[1], m[2])).isEqualTo(x.getDouble(2, 1, 3));
        }
        assertThat(
                        Orientation.toRas(
                                        affine(CASES.get("already_ras").get("affine_in")),
                                        new int[] {3, 4, 5})
                                .isIdentity())
                .isTrue();
    }
}
