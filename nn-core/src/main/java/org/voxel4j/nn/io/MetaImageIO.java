package org.voxel4j.nn.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes MetaImage files (ITK's MetaIO format): {@code .mha} with the voxels inline after
 * the header, and {@code .mhd} whose {@code ElementDataFile} names a separate raw file.
 *
 * <p>Geometry follows ITK's {@code MetaImageIO}: world coordinates are LPS+, {@code
 * TransformMatrix} (synonyms {@code Rotation}, {@code Orientation}) lists the direction cosines of
 * one image axis after another (row {@code i} of the file = column {@code i} of ITK's direction
 * matrix), {@code Offset} (synonyms {@code Origin}, {@code Position}) is the world position of
 * voxel 0, and {@code ElementSpacing} (falling back to {@code ElementSize}) the spacing. The reader
 * converts to the RAS+ affine of {@link Volume} by negating the first two rows. Supported: {@code
 * NDims} 1 to 4, {@code ElementNumberOfChannels} 1, binary data in either byte order, optionally
 * zlib-compressed ({@code CompressedData = True}); element types {@code MET_UCHAR, CHAR, SHORT,
 * USHORT, INT, UINT, LONG, ULONG} (32-bit in MetaIO), {@code LONG_LONG, ULONG_LONG, FLOAT, DOUBLE}.
 * ASCII data, lists of slice files and multi-channel images are rejected. {@code
 * AnatomicalOrientation} and {@code CenterOfRotation} are ignored, as ITK ignores them for the
 * image geometry. Writing compresses with zlib level 1 (fast); any level reads.
 */
public final class MetaImageIO {
    private static final int MAX_HEADER = 1 << 16;

    private MetaImageIO() {}

    /** Reads a {@code .mha} or {@code .mhd} file (and the raw file an {@code .mhd} names). */
    public static Volume read(Path file) throws IOException {
        long fileSize = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes((int) Math.min(MAX_HEADER, fileSize));
        }
        Map<String, String> f = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int pos = 0;
        int headerEnd = -1;
        while (pos < head.length) {
            int eol = pos;
            while (eol < head.length && head[eol] != '\n') {
                eol++;
            }
            if (eol == head.length && eol - pos > 0 && head.length == MAX_HEADER) {
                break; // line cut by the header window
            }
            String line = new String(head, pos, eol - pos, StandardCharsets.ISO_8859_1).strip();
            pos = Math.min(eol + 1, head.length);
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new VolumeFormatException(
                        file,
                        "header line '"
                                + abbreviate(line)
                                + "' has no '=', expected 'Key = Value' lines ending with"
                                + " ElementDataFile");
            }
            String key = line.substring(0, eq).strip();
            f.put(key, line.substring(eq + 1).strip());
            if (key.equalsIgnoreCase("ElementDataFile")) {
                headerEnd = pos;
                break;
            }
        }
        if (headerEnd < 0) {
            throw new VolumeFormatException(
                    file,
                    "no ElementDataFile line in the header"
                            + (head.length == MAX_HEADER ? " (first " + MAX_HEADER + " bytes)" : "")
                            + ", expected a MetaImage header ending with 'ElementDataFile = ...'");
        }

        String objectType = f.getOrDefault("ObjectType", "Image");
        if (!objectType.equalsIgnoreCase("Image")) {
            throw VolumeFormatException.field(file, "ObjectType", objectType, "Image");
        }
        int ndims = intField(file, f, "NDims", null);
        if (ndims < 1 || ndims > 4) {
            throw VolumeFormatException.field(file, "NDims", ndims, "1 to 4");
        }
        long[] dimSize = longs(file, f, "DimSize", ndims, null);
        for (int i = 0; i < ndims; i++) {
            if (dimSize[i] < 1) {
                throw VolumeFormatException.field(
                        file, "DimSize", f.get("DimSize"), ndims + " sizes >= 1");
            }
        }
        String et = required(file, f, "ElementType");
        ElementType type = elementType(file, et);
        String channels = f.get("ElementNumberOfChannels");
        if (channels != null && !channels.equals("1")) {
            throw VolumeFormatException.field(
                    file,
                    "ElementNumberOfChannels",
                    channels,
                    "1 (multi-channel / vector images are not supported)");
        }
        if (f.containsKey("BinaryData") && !isTrue(f.get("BinaryData"))) {
            throw VolumeFormatException.field(
                    file, "BinaryData", f.get("BinaryData"), "True (ASCII data is not supported)");
        }
        String msb = f.getOrDefault("BinaryDataByteOrderMSB", f.get("ElementByteOrderMSB"));
        ByteOrder order =
                msb != null && isTrue(msb) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean compressed = isTrue(f.getOrDefault("CompressedData", "False"));

        double[] spacingN =
                f.containsKey("ElementSpacing")
                        ? doubles(file, f, "ElementSpacing", ndims)
                        : f.containsKey("ElementSize")
                                ? doubles(file, f, "ElementSize", ndims)
                                : filled(ndims, 1.0);
        for (double s : spacingN) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw VolumeFormatException.field(
                        file, "ElementSpacing", Arrays.toString(spacingN), "values > 0");
            }
        }
        double[] offsetN = filled(ndims, 0.0);
        for (String k : new String[] {"Offset", "Origin", "Position"}) {
            if (f.containsKey(k)) {
                offsetN = doubles(file, f, k, ndims);
                break;
            }
        }
        double[] tm = null;
        for (String k : new String[] {"TransformMatrix", "Rotation", "Orientation"}) {
            if (f.containsKey(k)) {
                tm = doubles(file, f, k, ndims * ndims);
                break;
            }
        }
        int n = Math.min(ndims, 3);
        double[][] dir = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[] spacing = {1, 1, 1};
        double[] origin = {0, 0, 0};
        for (int c = 0; c < n; c++) {
            spacing[c] = spacingN[c];
            origin[c] = offsetN[c];
            if (tm != null) {
                for (int r = 0; r < n; r++) {
                    dir[r][c] = tm[c * ndims + r];
                }
            }
        }
        double[][] affine = Affines.flipLpsRas(Affines.compose(dir, spacing, origin));
        double[] norms;
        try {
            norms = Volume.columnNorms(affine);
        } catch (IllegalArgumentException e) {
            throw VolumeFormatException.field(
                    file,
                    "TransformMatrix",
                    Arrays.toString(tm),
                    "non-degenerate direction cosines");
        }
        double timeStep = ndims == 4 ? spacingN[3] : 1.0;

        long[] shape = NiftiIO.reverse(dimSize);
        long nbytes = RawData.byteCount(file, "DimSize", shape, type.bytes);
        String dataFile = required(file, f, "ElementDataFile");
        Path source;
        long start;
        long available;
        if (dataFile.equalsIgnoreCase("LOCAL")) {
            source = file;
            start = headerEnd;
            available = fileSize - headerEnd;
        } else {
            if (dataFile.toUpperCase(Locale.ROOT).startsWith("LIST") || dataFile.contains("%")) {
                throw VolumeFormatException.field(
                        file,
                        "ElementDataFile",
                        dataFile,
                        "LOCAL or one raw file name (slice lists are not supported)");
            }
            Path dir0 = file.toAbsolutePath().getParent();
            source = dir0.resolve(dataFile);
            long size;
            try {
                size = Files.size(source);
            } catch (NoSuchFileException e) {
                throw VolumeFormatException.field(
                        file,
                        "ElementDataFile",
                        dataFile,
                        "an existing file next to the header (" + source + " does not exist)");
            }
            long hs = f.containsKey("HeaderSize") ? intField(file, f, "HeaderSize", null) : 0;
            if (hs == -1) {
                hs = compressed ? 0 : Math.max(0, size - nbytes);
            } else if (hs < 0) {
                throw VolumeFormatException.field(file, "HeaderSize", hs, ">= 0 or -1");
            }
            start = hs;
            available = size - hs;
        }
        if (compressed) {
            if (f.containsKey("CompressedDataSize")) {
                long cds = Long.parseLong(f.get("CompressedDataSize").strip());
                if (cds > available) {
                    throw new VolumeFormatException(
                            source,
                            "truncated: CompressedDataSize = "
                                    + cds
                                    + ", expected at most the "
                                    + available
                                    + " bytes the file holds after the header");
                }
                available = cds;
            }
            if (nbytes > available * RawData.MAX_DEFLATE_RATIO + (1 << 16)) {
                throw new VolumeFormatException(
                        file,
                        "DimSize "
                                + Arrays.toString(dimSize)
                                + " of "
                                + et
                                + " need "
                                + nbytes
                                + " bytes, more than "
                                + available
                                + " compressed bytes can hold");
            }
        } else if (nbytes > available) {
            throw new VolumeFormatException(
                    source,
                    "truncated: DimSize "
                            + Arrays.toString(dimSize)
                            + " of "
                            + et
                            + " need "
                            + nbytes
                            + " bytes of voxel data, expected at least that after the header,"
                            + " found "
                            + Math.max(0, available));
        }
        INDArray data;
        try (InputStream raw = Files.newInputStream(source);
                InputStream buf = new BufferedInputStream(raw, 1 << 16)) {
            buf.skipNBytes(start);
            InputStream in = compressed ? new InflaterInputStream(buf) : buf;
            data = RawData.read(in, type, shape, order, source);
        }
        return new Volume(
                data,
                affine,
                norms,
                timeStep,
                "unknown",
                "MetaImage",
                type.numpyName,
                f.getOrDefault("Comment", ""));
    }

    /** Writes {@code v} uncompressed; {@code .mhd} also writes {@code <name>.raw} beside it. */
    public static void write(Volume v, Path file) throws IOException {
        write(v, file, false);
    }

    /**
     * Writes {@code v} as MetaImage, little endian, zlib-compressed if {@code compress}. For an
     * {@code .mhd} header the voxels go to {@code <name>.raw} ({@code .zraw} if compressed) in the
     * same folder, written before the header.
     */
    public static void write(Volume v, Path file, boolean compress) throws IOException {
        INDArray data =
                RawData.convertForWriting(v.data(), RawData.INTEGERS_AND_FLOATS, file, "MetaImage");
        ElementType type = ElementType.forDataType(data.dataType());
        String name = file.getFileName().toString();
        boolean mhd = name.toLowerCase(Locale.ROOT).endsWith(".mhd");
        byte[] compressedBytes = null;
        if (compress) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (DeflaterOutputStream dos =
                    new DeflaterOutputStream(bos, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
                RawData.write(dos, data, ByteOrder.LITTLE_ENDIAN);
            }
            compressedBytes = bos.toByteArray();
        }
        String rawName =
                mhd ? name.substring(0, name.length() - 4) + (compress ? ".zraw" : ".raw") : null;
        String header = header(v, type, compressedBytes, mhd ? rawName : "LOCAL");
        byte[] hb = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] cb = compressedBytes;
        if (mhd) {
            Path raw = file.toAbsolutePath().resolveSibling(rawName);
            AtomicFiles.write(raw, out -> writeData(out, data, cb));
            AtomicFiles.write(file, hb);
        } else {
            AtomicFiles.write(
                    file,
                    out -> {
                        out.write(hb);
                        writeData(out, data, cb);
                    });
        }
    }

    private static void writeData(OutputStream out, INDArray data, byte[] compressed)
            throws IOException {
        if (compressed != null) {
            out.write(compressed);
        } else {
            RawData.write(out, data, ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static String header(Volume v, ElementType type, byte[] compressed, String dataFile) {
        int ndims = v.data().rank();
        int n = Math.min(ndims, 3);
        double[][] lps = Affines.flipLpsRas(v.affine());
        double[] norms = Volume.columnNorms(lps);
        double[] tm = new double[ndims * ndims];
        double[] offset = new double[ndims];
        double[] spacing = new double[ndims];
        for (int c = 0; c < ndims; c++) {
            for (int r = 0; r < ndims; r++) {
                tm[c * ndims + r] = c < n && r < n ? lps[r][c] / norms[c] : (r == c ? 1 : 0);
            }
            offset[c] = c < n ? lps[c][3] : 0;
            spacing[c] = c < n ? norms[c] : (v.zooms()[c] > 0 ? v.zooms()[c] : 1);
        }
        StringBuilder s = new StringBuilder();
        s.append("ObjectType = Image\n");
        s.append("NDims = ").append(ndims).append('\n');
        s.append("BinaryData = True\n");
        s.append("BinaryDataByteOrderMSB = False\n");
        s.append("CompressedData = ").append(compressed != null ? "True" : "False").append('\n');
        if (compressed != null) {
            s.append("CompressedDataSize = ").append(compressed.length).append('\n');
        }
        s.append("TransformMatrix = ").append(join(tm)).append('\n');
        s.append("Offset = ").append(join(offset)).append('\n');
        s.append("CenterOfRotation = ").append(join(new double[ndims])).append('\n');
        s.append("ElementSpacing = ").append(join(spacing)).append('\n');
        long[] dims = v.dims();
        s.append("DimSize =");
        for (long d : dims) {
            s.append(' ').append(d);
        }
        s.append('\n');
        if (!v.description().isEmpty()) {
            s.append("Comment = ")
                    .append(v.description().replaceAll("[\\r\\n]+", " "))
                    .append('\n');
        }
        s.append("ElementType = ").append(metType(type)).append('\n');
        s.append("ElementDataFile = ").append(dataFile).append('\n');
        return s.toString();
    }

    private static String join(double[] a) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                s.append(' ');
            }
            double v = a[i] == 0 ? 0.0 : a[i]; // no "-0"
            s.append(
                    v == Math.rint(v) && Math.abs(v) < 1e15
                            ? Long.toString((long) v)
                            : Double.toString(v));
        }
        return s.toString();
    }

    private static String metType(ElementType t) {
        return switch (t) {
            case UINT8 -> "MET_UCHAR";
            case INT8 -> "MET_CHAR";
            case INT16 -> "MET_SHORT";
            case UINT16 -> "MET_USHORT";
            case INT32 -> "MET_INT";
            case UINT32 -> "MET_UINT";
            case INT64 -> "MET_LONG_LONG";
            case UINT64 -> "MET_ULONG_LONG";
            case FLOAT32 -> "MET_FLOAT";
            case FLOAT64 -> "MET_DOUBLE";
            default -> throw new IllegalStateException("no MetaImage type for " + t);
        };
    }

    private static ElementType elementType(Path file, String et) throws VolumeFormatException {
        // MetaIO sizes: MET_LONG/MET_ULONG are 4 bytes, MET_LONG_LONG/MET_ULONG_LONG 8
        // (metaTypes.h)
        return switch (et.toUpperCase(Locale.ROOT)) {
            case "MET_UCHAR" -> ElementType.UINT8;
            case "MET_CHAR" -> ElementType.INT8;
            case "MET_SHORT" -> ElementType.INT16;
            case "MET_USHORT" -> ElementType.UINT16;
            case "MET_INT", "MET_LONG" -> ElementType.INT32;
            case "MET_UINT", "MET_ULONG" -> ElementType.UINT32;
            case "MET_LONG_LONG" -> ElementType.INT64;
            case "MET_ULONG_LONG" -> ElementType.UINT64;
            case "MET_FLOAT" -> ElementType.FLOAT32;
            case "MET_DOUBLE" -> ElementType.FLOAT64;
            default ->
                    throw VolumeFormatException.field(
                            file,
                            "ElementType",
                            et,
                            "one of MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_UINT,"
                                    + " MET_LONG, MET_ULONG, MET_LONG_LONG, MET_ULONG_LONG, MET_FLOAT,"
                                    + " MET_DOUBLE");
        };
    }

    private static boolean isTrue(String s) {
        return s.strip().equalsIgnoreCase("True") || s.strip().equals("1");
    }

    private static String required(Path file, Map<String, String> f, String key)
            throws VolumeFormatException {
        String v = f.get(key);
        if (v == null || v.isEmpty()) {
            throw new VolumeFormatException(file, "header has no " + key + ", expected one");
        }
        return v;
    }

    private static int intField(Path file, Map<String, String> f, String key, Integer def)
            throws VolumeFormatException {
        String v = f.get(key);
        if (v == null) {
            if (def != null) {
                return def;
            }
            throw new VolumeFormatException(file, "header has no " + key + ", expected one");
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw VolumeFormatException.field(file, key, v, "an integer");
        }
    }

    private static long[] longs(Path file, Map<String, String> f, String key, int count, long[] def)
            throws VolumeFormatException {
        String v = f.get(key);
        if (v == null) {
            if (def != null) {
                return def;
            }
            throw new VolumeFormatException(file, "header has no " + key + ", expected one");
        }
        String[] parts = v.strip().split("\\s+");
        if (parts.length != count) {
            throw VolumeFormatException.field(file, key, v, count + " integers (NDims)");
        }
        long[] r = new long[count];
        try {
            for (int i = 0; i < count; i++) {
                r[i] = Long.parseLong(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw VolumeFormatException.field(file, key, v, count + " integers");
        }
        return r;
    }

    private static double[] doubles(Path file, Map<String, String> f, String key, int count)
            throws VolumeFormatException {
        String v = f.get(key);
        String[] parts = v.strip().split("\\s+");
        if (parts.length != count) {
            throw VolumeFormatException.field(file, key, v, count + " numbers");
        }
        double[] r = new double[count];
        try {
            for (int i = 0; i < count; i++) {
                r[i] = Double.parseDouble(parts[i]);
                if (!Double.isFinite(r[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw VolumeFormatException.field(file, key, v, count + " finite numbers");
        }
        return r;
    }

    private static double[] filled(int n, double v) {
        double[] r = new double[n];
        Arrays.fill(r, v);
        return r;
    }

    private static String abbreviate(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 60 ? p.substring(0, 60) + "..." : p;
    }
}
