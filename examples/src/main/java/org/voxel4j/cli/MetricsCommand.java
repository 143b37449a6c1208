package org.voxel4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code voxel4j metrics seg|image ...}. */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description =
                "Compares a prediction with a reference: seg (label maps) or image (intensities).",
        subcommands = {SegMetricsCommand.class, ImageMetricsCommand.class})
final class MetricsCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: seg or image");
    }
}
