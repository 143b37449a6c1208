package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java sample in README.md compiles and runs as written: each ```java block is a complete
 * class with a main method, compiled against the artifacts' classpath and run in a fresh JVM.
 */
class ReadmeSamplesTest {

    @TempDir Path dir;

    static List<String> javaBlocks(Path markdown) throws IOException {
        String text = Files.readString(markdown, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\\R(.*?)```", Pattern.DOTALL).matcher(text);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void readmeSamplesCompileAndRun() throws Exception {
        List<String> blocks = javaBlocks(Cli.ROOT.resolve("README.md"));
        assertThat(blocks).as("README.md has Java samples").isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = System.getProperty("java.class.path");
        for (String code : blocks) {
            Matcher cls = Pattern.compile("public\\s+class\\s+(\\w+)").matcher(code);
            assertThat(cls.find()).as("sample declares a public class:\n" + code).isTrue();
            String name = cls.group(1);
            Path src = dir.resolve(name + ".java");
            Files.writeString(src, code);
            int rc = javac.run(null, null, null, "-cp", cp, "-d", dir.toString(), src.toString());
            assertThat(rc).as("javac " + name).isZero();
            Path work = Files.createDirectories(dir.resolve("run-" + name));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p =
                    new ProcessBuilder(java.toString(), "-Xmx2g", "-cp", dir + ":" + cp, name)
                            .directory(work.toFile())
                            .redirectErrorStream(true)
                            .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(name + " finished").isTrue();
            assertThat(p.exitValue()).as(name + " output:\n" + output).isZero();
        }
    }
}
