package org.voxel4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --in SINO --out IMG --size N} of the 2D reconstruction commands (fbp, sirt, cgls). */
final class SinogramImageOptions {

    @Option(names = "--in", required = true, paramLabel = "SINO", description = "sinogram file")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "IMG", description = "output image")
    Path out;

    @Option(names = "--size", required = true, paramLabel = "N", description = "image side")
    int size;
}
