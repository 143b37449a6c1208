package org.voxel4j.nn.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minimal reader of NumPy {@code .npy} files (format versions 1–3, C order, little-endian float64 /
 * float32 / int64 / int32) for test fixtures. The library's real NPY IO lives in the IO package;
 * this one keeps the ops tests independent of it.
 */
final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    static INDArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10
                || (bytes[0] & 0xff) != 0x93
                || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not an .npy file (bad magic)");
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            offset = 12;
        } else {
            throw new IOException(file + ": unsupported .npy version " + major);
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        String shapeText = group(SHAPE, header, file, "shape").trim();
        long[] shape =
                shapeText.isEmpty()
                        ? new long[0]
                        : java.util.Arrays.stream(shapeText.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .mapToLong(Long::parseLong)
                                .toArray();
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        int data = offset + headerLen;
        DataType type;
        int width;
        switch (descr) {
            case "<f8" -> {
                type = DataType.DOUBLE;
                width = 8;
            }
            case "<f4" -> {
                type = DataType.FLOAT;
                width = 4;
            }
            case "<i8" -> {
                type = DataType.LONG;
                width = 8;
            }
            case "<i4" -> {
                type = DataType.INT;
                width = 4;
            }
            default -> throw new IOException(file + ": unsupported dtype '" + descr + "'");
        }
        if (bytes.length - data != n * width) {
            throw new IOException(
                    file
                            + ": header declares "
                            + n
                            + " elements of "
                            + width
                            + " bytes but the file holds "
                            + (bytes.length - data)
                            + " data bytes");
        }
        INDArray out = Nd4j.create(type, shape.length == 0 ? new long[0] : shape, 'c');
        for (long i = 0; i < n; i++) {
            int p = (int) (data + i * width);
            switch (type) {
                case DOUBLE -> out.putScalar(i, bb.getDouble(p));
                case FLOAT -> out.putScalar(i, bb.getFloat(p));
                case LONG -> out.putScalar(i, (double) bb.getLong(p));
                default -> out.putScalar(i, (double) bb.getInt(p));
            }
        }
        return out;
    }

    private static String group(Pattern p, String header, Path file, String key)
            throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header has no '" + key + "': " + header);
        }
        return m.group(1);
    }
}
