package org.voxel4j.nn.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} fixture as the make_fixtures.py scripts write it (little endian, C order):
 * its shape and its values as doubles. Independent of the library's own {@code NpyIO}, so a test
 * reading its reference values does not depend on the code under test.
 *
 * @param shape the array shape (empty for a scalar)
 * @param data the values in C order
 */
public record NpyFixture(int[] shape, double[] data) {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /**
     * Parses the bytes of a {@code .npy} file of dtype f8, f4, i8, i4, i2, u1 or b1.
     *
     * @param b the file's bytes
     * @param name the fixture's name, for errors
     */
    public static NpyFixture parse(byte[] b, String name) {
        if (b.length < 10 || b[0] != (byte) 0x93 || b[1] != 'N') {
            throw new IllegalStateException(name + " is not an .npy file");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (b[6] == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else {
            headerLen = bb.getInt(8);
            start = 12;
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find() || f.group(1).equals("True")) {
            throw new IllegalStateException(name + ": unsupported header " + header);
        }
        int[] shape =
                Arrays.stream(s.group(1).split(","))
                        .filter(p -> !p.isBlank())
                        .mapToInt(p -> Integer.parseInt(p.trim()))
                        .toArray();
        int count = 1;
        for (int v : shape) {
            count *= v;
        }
        String descr = d.group(1);
        bb.position(start + headerLen);
        double[] data = new double[count];
        for (int i = 0; i < count; i++) {
            data[i] =
                    switch (descr) {
                        case "<f8" -> bb.getDouble();
                        case "<f4" -> bb.getFloat();
                        case "<i8" -> bb.getLong();
                        case "<i4" -> bb.getInt();
                        case "<i2" -> bb.getShort();
                        case "|u1" -> bb.get() & 0xff;
                        case "|b1" -> bb.get() != 0 ? 1 : 0;
                        default ->
                                throw new IllegalStateException(
                                        name + ": unsupported dtype " + descr);
                    };
        }
        return new NpyFixture(shape, data);
    }
}
