package org.voxel4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SmokeTest {
    @Test
    void addsTwoArrays() {
        assertThat(Nd4j.createFromArray(1.0, 2.0).add(1.0).getDouble(1)).isEqualTo(3.0);
    }
}
