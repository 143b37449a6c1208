package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.voxel4j.volumetric.Fixtures;
import org.voxel4j.volumetric.transforms.ConnectedComponents.Components;
import org.voxel4j.volumetric.transforms.ConnectedComponents.Connectivity;

class ConnectedComponentsTest {
    private static final String DIR = "/fixtures/transforms/";

    @Test
    void matchesScipyLabelForEveryConnectivity() {
        JsonNode cases = Fixtures.json(DIR + "cases.json").get("cases").get("cc");
        assertThat(cases.size()).isEqualTo(5);
        for (JsonNode c : cases) {
            Fixtures.Npy mask = Fixtures.npy(DIR + c.get("mask").asText());
            int[] expected = Fixtures.npy(DIR + c.get("expected").asText()).ints();
            Components got =
                    ConnectedComponents.label(
                            mask.mask(),
                            mask.shape(),
                            Connectivity.of(c.get("neighbours").asInt()));
            assertThat(got.count())
                    .as(c.get("expected").asText())
                    .isEqualTo(c.get("count").asInt());
            assertThat(got.labels()).as(c.get("expected").asText()).containsExactly(expected);
            long total = 0;
            for (long s : got.sizes()) {
                total += s;
            }
            long fg = 0;
            for (boolean b : mask.mask()) {
                fg += b ? 1 : 0;
            }
            assertThat(total).isEqualTo(fg);
        }
    }

    @Test
    void keepsTheLargestComponentOfEachLabel() {
        // 1D-like strip in a 2D array: label 1 runs of length 2 and 3, label 2 runs of 1 and 1.
        int[] labels = {1, 1, 0, 2, 0, 1, 1, 1, 0, 2};
        int[] out =
                ConnectedComponents.keepLargestPerLabel(
                        labels, new int[] {1, 10}, Connectivity.FACE);
        // Label 2 tie: the first component in C order wins.
        assertThat(out).containsExactly(0, 0, 0, 2, 0, 1, 1, 1, 0, 0);
    }

    @Test
    void regionsOfDifferentLabelsDoNotMerge() {
        int[] labels = {1, 2, 2, 1};
        Components c =
                ConnectedComponents.labelRegions(labels, new int[] {2, 2}, Connectivity.VERTEX);
        // 1s touch diagonally (connected under 8-connectivity), 2s too.
        assertThat(c.count()).isEqualTo(2);
        assertThat(c.labels()).containsExactly(1, 2, 2, 1);
    }

    @Test
    void rejectsUnknownConnectivity() {
        assertThatThrownBy(() -> Connectivity.of(10)).hasMessageContaining("10");
    }
}
