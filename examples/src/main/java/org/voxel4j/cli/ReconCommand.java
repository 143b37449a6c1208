package org.voxel4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code voxel4j recon radon|fbp|fdk|sirt|cgls ...}. */
@Command(
        name = "recon",
        mixinStandardHelpOptions = true,
        description = {
            "CT forward projection and reconstruction on .npy / NIfTI files.",
            "Sinograms are [views, detectors], view i at angle i*arc/views degrees;",
            "lengths in pixels, detectors 1 pixel apart at the rotation axis (image centre)."
        },
        subcommands = {
            RadonCommand.class,
            FbpCommand.class,
            FdkCommand.class,
            IterativeCommand.Sirt.class,
            IterativeCommand.Cgls.class
        })
final class ReconCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: radon, fbp, fdk, sirt or cgls");
    }

    /** {@code ⌈√2·n⌉}, made odd so that the central element sits on the rotation axis. */
    static int defaultDetectors(double n) {
        int d = (int) Math.ceil(Math.sqrt(2.0) * n - 1e-9);
        return d % 2 == 0 ? d + 1 : d;
    }

    static void checkPositive(String option, int v) {
        if (v < 1) {
            throw new UserError(option + " must be >= 1, got " + v);
        }
    }
}
