package org.voxel4j.cli;

import org.voxel4j.recon.project.ProjectorType;
import picocli.CommandLine.Option;

/** {@code --projector joseph|siddon} of the {@code recon} commands that project. */
final class ProjectorOption {

    @Option(
            names = "--projector",
            defaultValue = "joseph",
            paramLabel = "P",
            description = "joseph or siddon (default ${DEFAULT-VALUE})")
    String name;

    ProjectorType type() {
        try {
            return ProjectorType.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("unknown --projector '" + name + "', expected joseph or siddon");
        }
    }
}
