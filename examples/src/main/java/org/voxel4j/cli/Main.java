package org.voxel4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import org.voxel4j.nn.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code voxel4j} command line. Its commands, options, JSON fields and exit codes are a
 * contract (ARCHITECTURE.md): exit 0 on success, 2 with a one-line message for bad input, 1 for an
 * internal failure.
 */
@Command(
        name = "voxel4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Deep learning for CT and other 3D/4D medical images, on the JVM.",
        subcommands = {
            DemoCommand.class,
            InfoCommand.class,
            ConvertCommand.class,
            MetricsCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            ReconCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        int code =
                run(
                        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                        args);
        System.exit(code);
    }

    /** Runs the CLI with the given streams; returns the exit code (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(
                (ex, a) -> {
                    err.println("voxel4j: " + oneLine(ex.getMessage()) + " (try --help)");
                    err.flush();
                    return 2;
                });
        cl.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    boolean user =
                            ex instanceof UserError
                                    || ex instanceof IOException
                                    || ex instanceof IllegalArgumentException
                                    || ex instanceof java.io.UncheckedIOException;
                    String msg =
                            ex instanceof NoSuchFileException nf
                                    ? "no such file: " + nf.getFile()
                                    : ex.getMessage() == null ? ex.toString() : ex.getMessage();
                    err.println("voxel4j: error: " + oneLine(msg));
                    if (!user) {
                        err.println(
                                "voxel4j: this is a bug; rerun with VOXEL4J_LOG=debug and report it ("
                                        + ex.getClass().getName()
                                        + ")");
                        if (Boolean.getBoolean("voxel4j.debug")) {
                            ex.printStackTrace(err);
                        }
                    }
                    err.flush();
                    return user ? 2 : 1;
                });
        return cl.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Prints the library version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"voxel4j " + Version.LIBRARY};
        }
    }
}
