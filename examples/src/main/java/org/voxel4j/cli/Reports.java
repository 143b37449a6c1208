package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Output of a command: progress bars on stderr while it runs; at the end one JSON object, or one
 * human-readable line, on stdout.
 */
final class Reports {
    private Reports() {}

    static void finish(CommandSpec spec, boolean json, ObjectNode o, String line) {
        var w = spec.commandLine().getOut();
        if (json) {
            Json.print(w, o);
        } else {
            w.println(line);
            w.flush();
        }
    }

    /** An ASCII progress bar on stderr named {@code task} (stdout stays for the result). */
    static ProgressBarBuilder progressBar(String task) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
    }
}
