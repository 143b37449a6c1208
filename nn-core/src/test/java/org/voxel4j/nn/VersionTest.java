package org.voxel4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void versionComesFromTheBuild() {
        assertThat(Version.LIBRARY).matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
        assertThat(Version.series("0.1.0-SNAPSHOT")).isEqualTo("0.1");
        assertThat(Version.series("2.10.3")).isEqualTo("2.10");
    }
}
