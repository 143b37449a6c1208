package org.voxel4j.nn.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0 as specified in
 * NumPy's {@code numpy.lib.format} / NEP 1).
 *
 * <p>Reads C- and Fortran-order arrays of bool, int8..int64, uint8..uint64 (values above 2^63-1
 * rejected), float16, float32 and float64 in either byte order, rank 1 to 4. Writes version 1.0,
 * little endian, C order.
 *
 * <p>An NPY file has no geometry. As a {@link Volume} its array is taken as-is in library axis
 * order ({@code [D, H, W]} for rank 3, {@code [C, D, H, W]} for rank 4): a 3D array of shape {@code
 * [a, b, c]} becomes {@code data()} of shape {@code [a, b, c]}, with unit spacing, the identity
 * affine and origin 0. Consequently {@link Volume#dims()} reports the NPY shape reversed ({@code
 * [c, b, a]}), which is the shape the same data has once written as NIfTI; npy to NIfTI to npy
 * therefore round-trips the array exactly. Writing a volume to {@code .npy} stores {@code data()}
 * only; its geometry is dropped.
 */
public final class NpyIO {
    private static final Logger LOG = LoggerFactory.getLogger(NpyIO.class);

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyIO() {}

    /** Reads an {@code .npy} file as a volume (see the class comment for the geometry). */
    public static Volume read(Path file) throws IOException {
        Parsed p = parse(file);
        return new Volume(
                p.data,
                new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
                new double[] {1, 1, 1},
                1.0,
                "unknown",
                "NumPy",
                p.type.numpyName,
                "");
    }

    /** Reads an {@code .npy} file as a C-order array of the file's shape. */
    public static INDArray readArray(Path file) throws IOException {
        return parse(file).data;
    }

    /** Writes {@code v.data()} (geometry is not stored by the format). */
    public static void write(Volume v, Path file) throws IOException {
        if (!isIdentity(v.affine())) {
            LOG.info(
                    "{}: .npy stores no geometry; spacing and affine of the volume are dropped",
                    file);
        }
        writeArray(v.data(), file);
    }

    /** Writes {@code arr} as NPY version 1.0, little endian, C order. */
    public static void writeArray(INDArray arr, Path file) throws IOException {
        INDArray data = arr;
        if (arr.dataType() == DataType.BFLOAT16) {
            data = arr.castTo(DataType.FLOAT);
        }
        ElementType t = ElementType.forDataType(data.dataType());
        if (t == null) {
            throw VolumeFormatException.field(
                    file, "data type", arr.dataType(), "a bool, integer or float type");
        }
        String descr =
                (t.bytes == 1 ? "|" : "<")
                        + switch (t) {
                            case BOOL -> "b1";
                            case UINT8 -> "u1";
                            case INT8 -> "i1";
                            case FLOAT16 -> "f2";
                            case FLOAT32 -> "f4";
                            case FLOAT64 -> "f8";
                            default -> (t.signed ? "i" : "u") + t.bytes;
                        };
        long[] shape = data.shape();
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] hb = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length);
        INDArray out = data;
        AtomicFiles.write(
                file,
                o -> {
                    o.write(pre.array());
                    o.write(hb);
                    RawData.write(o, out, ByteOrder.LITTLE_ENDIAN);
                });
    }

    private record Parsed(INDArray data, ElementType type) {}

    private static Parsed parse(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] pre = in.readNBytes(8);
            if (pre.length < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
                throw VolumeFormatException.field(
                        file,
                        "magic",
                        "'" + printable(pre) + "'",
                        "'\\x93NUMPY' (not a NumPy .npy file)");
            }
            int major = pre[6] & 0xff;
            if (major < 1 || major > 3) {
                throw VolumeFormatException.field(
                        file, "version", major + "." + (pre[7] & 0xff), "1.0, 2.0 or 3.0");
            }
            byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
            ByteBuffer lb =
                    ByteBuffer.wrap(Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = major == 1 ? lb.getShort(0) & 0xffff : lb.getInt(0) & 0xffffffffL;
            long dataStart = 8 + lenBytes.length + headerLen;
            if (lenBytes.length < (major == 1 ? 2 : 4)
                    || headerLen > MAX_HEADER
                    || dataStart > fileSize) {
                throw VolumeFormatException.field(
                        file,
                        "header length",
                        headerLen,
                        "at most "
                                + Math.min(MAX_HEADER, fileSize - 8 - lenBytes.length)
                                + " bytes (file is "
                                + fileSize
                                + " bytes)");
            }
            String header =
                    new String(
                            in.readNBytes((int) headerLen),
                            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            if (!d.find()) {
                throw VolumeFormatException.field(
                        file,
                        "descr",
                        header.contains("'descr'") ? "a structured dtype" : "missing",
                        "a simple dtype string such as '<i2' (structured dtypes are not supported)");
            }
            String descr = d.group(1);
            ElementType type = elementType(file, descr);
            ByteOrder order =
                    descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            if (descr.charAt(0) == '=') {
                order = ByteOrder.nativeOrder();
            }
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!f.find() || !s.find()) {
                throw VolumeFormatException.field(
                        file,
                        "header",
                        header.strip(),
                        "a dict with 'descr', 'fortran_order' and 'shape'");
            }
            boolean fortran = f.group(1).equals("True");
            List<Long> dims = new ArrayList<>();
            for (String part : s.group(1).split(",")) {
                String t = part.strip();
                if (t.isEmpty()) {
                    continue;
                }
                try {
                    dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
                } catch (NumberFormatException e) {
                    throw VolumeFormatException.field(
                            file, "shape", "(" + s.group(1) + ")", "integers");
                }
            }
            if (dims.isEmpty() || dims.size() > 4) {
                throw VolumeFormatException.field(
                        file, "shape", "(" + s.group(1) + ")", "1 to 4 dimensions");
            }
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            long nbytes = RawData.byteCount(file, "shape", shape, type.bytes);
            if (dataStart + nbytes > fileSize) {
                throw new VolumeFormatException(
                        file,
                        "truncated: shape "
                                + Arrays.toString(shape)
                                + " of "
                                + descr
                                + " needs "
                                + nbytes
                                + " bytes after the "
                                + dataStart
                                + "-byte header, expected a file of at least "
                                + (dataStart + nbytes)
                                + " bytes, found "
                                + fileSize);
            }
            INDArray data;
            if (fortran && shape.length > 1) {
                // Fortran order is C order of the reversed shape; transpose back.
                INDArray t = RawData.read(in, type, NiftiIO.reverse(shape), order, file);
                int[] perm = new int[shape.length];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = perm.length - 1 - i;
                }
                data = t.permute(perm).dup('c');
            } else {
                data = RawData.read(in, type, shape, order, file);
            }
            return new Parsed(data, type);
        }
    }

    private static ElementType elementType(Path file, String descr) throws VolumeFormatException {
        String code =
                descr.length() > 1 && "<>|=".indexOf(descr.charAt(0)) >= 0
                        ? descr.substring(1)
                        : descr;
        ElementType t =
                switch (code) {
                    case "b1", "?" -> ElementType.BOOL;
                    case "u1", "B" -> ElementType.UINT8;
                    case "i1", "b" -> ElementType.INT8;
                    case "i2" -> ElementType.INT16;
                    case "u2" -> ElementType.UINT16;
                    case "i4" -> ElementType.INT32;
                    case "u4" -> ElementType.UINT32;
                    case "i8" -> ElementType.INT64;
                    case "u8" -> ElementType.UINT64;
                    case "f2" -> ElementType.FLOAT16;
                    case "f4" -> ElementType.FLOAT32;
                    case "f8" -> ElementType.FLOAT64;
                    default -> null;
                };
        if (t == null) {
            throw VolumeFormatException.field(
                    file,
                    "descr",
                    "'" + descr + "'",
                    "bool (b1), int8..int64 (i1..i8), uint8..uint64 (u1..u8) or float16..float64"
                            + " (f2..f8)");
        }
        return t;
    }

    private static boolean isIdentity(double[][] a) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (a[r][c] != (r == c ? 1 : 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            s.append(
                    c >= 32 && c < 127
                            ? String.valueOf((char) c)
                            : String.format(java.util.Locale.ROOT, "\\x%02x", c));
        }
        return s.toString();
    }
}
