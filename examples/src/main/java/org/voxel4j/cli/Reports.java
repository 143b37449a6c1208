package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;

/** The last step of a command: one JSON object, or one human-readable line, on stdout. */
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
}
