package org.voxel4j.nn.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes single-file NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}).
 *
 * <p>Follows the NIfTI-1 standard ({@code nifti1.h}, NIfTI Data Format Working Group, 2004) and
 * NIfTI-2 ({@code nifti2.h}, 2011), and reproduces nibabel's reading of them: the affine is the
 * sform if {@code sform_code > 0}, else the qform if {@code qform_code > 0}, else nibabel's
 * fallback {@code diag(-pixdim[1], pixdim[2], pixdim[3])} centred on the image; {@code
 * scl_slope}/{@code scl_inter} are applied like {@code get_fdata()} (ignored when the slope is 0 or
 * not finite). One deliberate difference: when {@code xyzt_units} says metres or microns, the
 * affine and spacing are converted to millimetres (nibabel returns the header values as stored).
 *
 * <p>Both byte orders are read (detected from {@code sizeof_hdr}); files are written in little
 * endian. Header extensions are skipped on read and not written. {@code .hdr/.img} pairs are not
 * supported.
 */
public final class NiftiIO {
    private static final Logger LOG = LoggerFactory.getLogger(NiftiIO.class);

    private static final int N1_HEADER = 348;
    private static final int N2_HEADER = 540;
    private static final int MAX_N1_DIM = Short.MAX_VALUE;

    private NiftiIO() {}

    /** Parsed header fields, in NIfTI-2 widths. */
    private record Header(
            int version,
            ByteOrder order,
            long[] dim,
            int datatype,
            double[] pixdim,
            long voxOffset,
            double sclSlope,
            double sclInter,
            int xyztUnits,
            String descrip,
            int qformCode,
            int sformCode,
            double[] quatern,
            double[] qoffset,
            double[][] srow) {}

    /** Reads a {@code .nii} or {@code .nii.gz} file (gzip is detected from the content). */
    public static Volume read(Path file) throws IOException {
        long fileSize = Files.size(file);
        boolean gz = isGzip(file);
        try (InputStream raw = Files.newInputStream(file);
                InputStream buf = new BufferedInputStream(raw, 1 << 16);
                InputStream in = gz ? new GZIPInputStream(buf, 1 << 16) : buf) {
            Header h = readHeader(in, file, fileSize);
            int ndim = (int) h.dim[0];
            long[] dims = Arrays.copyOfRange(h.dim, 1, ndim + 1);
            ElementType type = elementType(h.datatype, file);
            long[] shape = reverse(dims);
            long nbytes = RawData.byteCount(file, "dim[1.." + ndim + "]", shape, type.bytes);
            if (!gz && h.voxOffset + nbytes > fileSize) {
                throw new VolumeFormatException(
                        file,
                        "truncated: dim "
                                + Arrays.toString(dims)
                                + " of "
                                + type.numpyName
                                + " need "
                                + nbytes
                                + " bytes from vox_offset "
                                + h.voxOffset
                                + ", expected a file of at least "
                                + (h.voxOffset + nbytes)
                                + " bytes, found "
                                + fileSize);
            }
            if (gz && nbytes > fileSize * RawData.MAX_DEFLATE_RATIO + (1 << 16)) {
                throw new VolumeFormatException(
                        file,
                        "dim "
                                + Arrays.toString(dims)
                                + " of "
                                + type.numpyName
                                + " need "
                                + nbytes
                                + " bytes, more than a gzip file of "
                                + fileSize
                                + " bytes can hold; expected dimensions matching the data");
            }
            long consumed = h.version == 1 ? N1_HEADER : N2_HEADER;
            skipExactly(in, h.voxOffset - consumed, file);
            INDArray rawData = RawData.read(in, type, shape, h.order, file);
            return toVolume(h, rawData, type, dims, file);
        }
    }

    /**
     * Writes {@code v} as NIfTI-1 (NIfTI-2 if a dimension exceeds 32767), gzip-compressed if the
     * name ends in {@code .gz}.
     */
    public static void write(Volume v, Path file) throws IOException {
        boolean big = false;
        for (long d : v.dims()) {
            big |= d > MAX_N1_DIM;
        }
        write(v, file, big ? 2 : 1);
    }

    /**
     * Writes {@code v} as NIfTI-{@code version} (1 or 2), little endian, with the sform ({@code
     * sform_code} 1, scanner) and the qform (code 1, or 0 if the affine has shears a quaternion
     * cannot express) both set from {@link Volume#affine()}, {@code pixdim[1..3]} = the affine's
     * column norms, {@code xyzt_units} = mm, and the datatype of {@code v.data()} (bool is written
     * as uint8, float16 as float32).
     */
    public static void write(Volume v, Path file, int version) throws IOException {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("NIfTI version " + version + ", expected 1 or 2");
        }
        long[] dims = v.dims();
        if (version == 1) {
            for (long d : dims) {
                if (d > MAX_N1_DIM) {
                    throw VolumeFormatException.field(
                            file, "dim", Arrays.toString(dims), "at most 32767 for NIfTI-1");
                }
            }
        }
        INDArray data =
                RawData.convertForWriting(v.data(), RawData.INTEGERS_AND_FLOATS, file, "NIfTI");
        ElementType type = ElementType.forDataType(data.dataType());
        byte[] header = version == 1 ? header1(v, dims, type) : header2(v, dims, type);
        boolean gz = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        AtomicFiles.write(
                file,
                out -> {
                    OutputStream o = gz ? new FastGzip(out) : out;
                    o.write(header);
                    o.write(new byte[4]); // extension flag: none
                    RawData.write(o, data, ByteOrder.LITTLE_ENDIAN);
                    if (o instanceof GZIPOutputStream g) {
                        g.finish();
                    }
                });
    }

    /** gzip at level 1, nibabel's default for .nii.gz: ~5x faster than level 6, ~10% larger. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static Header readHeader(InputStream in, Path file, long fileSize) throws IOException {
        byte[] first = new byte[N1_HEADER];
        int got = readUpTo(in, first, 0, N1_HEADER, file);
        if (got < N1_HEADER) {
            throw new VolumeFormatException(
                    file,
                    "truncated header: "
                            + got
                            + " bytes, expected at least 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        ByteBuffer le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
        int sizeLe = le.getInt(0);
        int sizeBe = Integer.reverseBytes(sizeLe);
        ByteOrder order;
        int version;
        if (sizeLe == N1_HEADER || sizeBe == N1_HEADER) {
            version = 1;
            order = sizeLe == N1_HEADER ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        } else if (sizeLe == N2_HEADER || sizeBe == N2_HEADER) {
            version = 2;
            order = sizeLe == N2_HEADER ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        } else {
            throw VolumeFormatException.field(
                    file,
                    "sizeof_hdr",
                    sizeLe + " (byte-swapped " + sizeBe + ")",
                    "348 (NIfTI-1) or 540 (NIfTI-2); not a NIfTI file");
        }
        if (version == 1) {
            return parse1(ByteBuffer.wrap(first).order(order), file);
        }
        byte[] all = Arrays.copyOf(first, N2_HEADER);
        got = readUpTo(in, all, N1_HEADER, N2_HEADER - N1_HEADER, file);
        if (got < N2_HEADER - N1_HEADER) {
            throw new VolumeFormatException(
                    file,
                    "truncated header: " + (N1_HEADER + got) + " bytes, expected 540 for NIfTI-2");
        }
        return parse2(ByteBuffer.wrap(all).order(order), file);
    }

    private static Header parse1(ByteBuffer b, Path file) throws VolumeFormatException {
        String magic = magic(b, 344, 4);
        if (magic.equals("ni1")) {
            throw VolumeFormatException.field(
                    file, "magic", "'ni1' (.hdr/.img pair)", "'n+1' (single-file .nii)");
        }
        if (!magic.equals("n+1")) {
            throw VolumeFormatException.field(
                    file, "magic", "'" + printable(b, 344, 4) + "'", "'n+1' (NIfTI-1 .nii)");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        float voxOffsetF = b.getFloat(108);
        if (!(voxOffsetF >= 0) || voxOffsetF != Math.rint(voxOffsetF)) {
            throw VolumeFormatException.field(
                    file, "vox_offset", voxOffsetF, "a whole number of bytes >= 352");
        }
        long voxOffset = (long) voxOffsetF;
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        Header h =
                new Header(
                        1,
                        b.order(),
                        dim,
                        b.getShort(70),
                        pixdim,
                        voxOffset,
                        b.getFloat(112),
                        b.getFloat(116),
                        b.get(123) & 0xff,
                        string(b, 148, 80),
                        b.getShort(252),
                        b.getShort(254),
                        new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)},
                        new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)},
                        srow);
        return validate(h, file);
    }

    private static Header parse2(ByteBuffer b, Path file) throws VolumeFormatException {
        byte[] expected = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
        byte[] m = new byte[8];
        b.get(4, m);
        if (m[0] == 'n' && m[1] == 'i' && m[2] == '2') {
            throw VolumeFormatException.field(
                    file, "magic", "'ni2' (.hdr/.img pair)", "'n+2' (single-file .nii)");
        }
        if (!Arrays.equals(m, expected)) {
            throw VolumeFormatException.field(
                    file,
                    "magic",
                    "'" + printable(b, 4, 8) + "'",
                    "'n+2\\0\\r\\n\\032\\n' (NIfTI-2)");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
            }
        }
        Header h =
                new Header(
                        2,
                        b.order(),
                        dim,
                        b.getShort(12),
                        pixdim,
                        b.getLong(168),
                        b.getDouble(176),
                        b.getDouble(184),
                        b.getInt(500),
                        string(b, 240, 80),
                        b.getInt(344),
                        b.getInt(348),
                        new double[] {b.getDouble(352), b.getDouble(360), b.getDouble(368)},
                        new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)},
                        srow);
        return validate(h, file);
    }

    private static Header validate(Header h, Path file) throws VolumeFormatException {
        long ndim = h.dim[0];
        if (ndim < 1 || ndim > 7) {
            throw VolumeFormatException.field(
                    file, "dim[0]", ndim, "1 to 7 (the number of dimensions)");
        }
        if (ndim > 4) {
            throw VolumeFormatException.field(
                    file,
                    "dim[0]",
                    ndim + " (a " + ndim + "D image, dim " + Arrays.toString(h.dim) + ")",
                    "at most 4 dimensions (x, y, z, t)");
        }
        for (int i = 1; i <= ndim; i++) {
            if (h.dim[i] < 1) {
                throw VolumeFormatException.field(file, "dim[" + i + "]", h.dim[i], "a size >= 1");
            }
        }
        long minOffset = (h.version == 1 ? N1_HEADER : N2_HEADER) + 4L;
        long off = h.voxOffset;
        if (off == 0) {
            off = minOffset; // older writers leave 0 in single files: data follows the header
        } else if (off < minOffset) {
            throw VolumeFormatException.field(
                    file, "vox_offset", off, ">= " + minOffset + " for a single-file NIfTI");
        }
        if (off != h.voxOffset) {
            return new Header(
                    h.version,
                    h.order,
                    h.dim,
                    h.datatype,
                    h.pixdim,
                    off,
                    h.sclSlope,
                    h.sclInter,
                    h.xyztUnits,
                    h.descrip,
                    h.qformCode,
                    h.sformCode,
                    h.quatern,
                    h.qoffset,
                    h.srow);
        }
        return h;
    }

    private static ElementType elementType(int code, Path file) throws VolumeFormatException {
        return switch (code) {
            case 2 -> ElementType.UINT8;
            case 4 -> ElementType.INT16;
            case 8 -> ElementType.INT32;
            case 16 -> ElementType.FLOAT32;
            case 64 -> ElementType.FLOAT64;
            case 256 -> ElementType.INT8;
            case 512 -> ElementType.UINT16;
            case 768 -> ElementType.UINT32;
            case 1024 -> ElementType.INT64;
            case 1280 -> ElementType.UINT64;
            default ->
                    throw VolumeFormatException.field(
                            file,
                            "datatype",
                            code + " (" + datatypeName(code) + ")",
                            "a real scalar type: uint8(2), int8(256), int16(4), uint16(512), int32(8),"
                                    + " uint32(768), int64(1024), uint64(1280), float32(16), float64(64)");
        };
    }

    private static String datatypeName(int code) {
        return switch (code) {
            case 0 -> "unknown";
            case 1 -> "binary";
            case 32 -> "complex64";
            case 128 -> "RGB24";
            case 1536 -> "float128";
            case 1792 -> "complex128";
            case 2048 -> "complex256";
            case 2304 -> "RGBA32";
            default -> "not a NIfTI datatype";
        };
    }

    private static int code(ElementType t) {
        return switch (t) {
            case UINT8 -> 2;
            case INT16 -> 4;
            case INT32 -> 8;
            case FLOAT32 -> 16;
            case FLOAT64 -> 64;
            case INT8 -> 256;
            case UINT16 -> 512;
            case UINT32 -> 768;
            case INT64 -> 1024;
            case UINT64 -> 1280;
            default -> throw new IllegalStateException("no NIfTI code for " + t);
        };
    }

    private static Volume toVolume(Header h, INDArray raw, ElementType type, long[] dims, Path file)
            throws VolumeFormatException {
        int ndim = dims.length;
        double[][] affine;
        if (h.sformCode > 0) {
            affine = new double[4][4];
            for (int r = 0; r < 3; r++) {
                affine[r] = h.srow[r].clone();
            }
            affine[3] = new double[] {0, 0, 0, 1};
        } else if (h.qformCode > 0) {
            affine = qformAffine(h, file);
        } else {
            affine = baseAffine(h, dims);
        }
        // Axes the file does not have (1D/2D) may carry a zero column; give them 1 mm so the
        // affine stays invertible. Real axes with a zero column are an error.
        for (int c = 0; c < 3; c++) {
            double n = Affines.columnNorm(affine, c);
            if (!(n > 0)) {
                if (c < ndim) {
                    throw new VolumeFormatException(
                            file,
                            (h.sformCode > 0 ? "sform" : h.qformCode > 0 ? "qform" : "pixdim")
                                    + " gives axis "
                                    + c
                                    + " zero length (pixdim "
                                    + Arrays.toString(h.pixdim)
                                    + "), expected a non-degenerate affine");
                }
                affine[c][c] = 1;
            }
        }
        double unit =
                switch (h.xyztUnits & 0x07) {
                    case 1 -> 1000.0; // metres
                    case 3 -> 0.001; // microns
                    default -> 1.0; // mm or unknown (mm assumed)
                };
        double[] norms = Volume.columnNorms(affine);
        double[] spacing = new double[3];
        for (int a = 0; a < 3; a++) {
            double p = h.pixdim[a + 1];
            if (a < ndim && p > 0 && Double.isFinite(p)) {
                spacing[a] = p * unit;
            } else {
                if (a < ndim) {
                    LOG.warn(
                            "{}: pixdim[{}] = {} is not a spacing; using the affine's {}",
                            file,
                            a + 1,
                            p,
                            norms[a]);
                }
                spacing[a] = norms[a] * unit;
            }
        }
        if (unit != 1.0) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    affine[r][c] *= unit;
                }
            }
        }
        String timeUnit =
                switch (h.xyztUnits & 0x38) {
                    case 8 -> "sec";
                    case 16 -> "msec";
                    case 24 -> "usec";
                    case 32 -> "hz";
                    case 40 -> "ppm";
                    case 48 -> "rads";
                    default -> "unknown";
                };
        double timeStep = ndim >= 4 && Double.isFinite(h.pixdim[4]) ? h.pixdim[4] : 1.0;

        INDArray data = raw;
        double slope = h.sclSlope;
        double inter = h.sclInter;
        if (slope != 0 && Double.isFinite(slope)) {
            if (!Double.isFinite(inter)) {
                throw VolumeFormatException.field(
                        file, "scl_inter", inter, "a finite intercept with scl_slope " + slope);
            }
            if (slope != 1.0 || inter != 0.0) {
                data = RawData.scale(raw, type, slope, inter);
            }
        }
        return new Volume(
                data,
                affine,
                spacing,
                timeStep,
                timeUnit,
                h.version == 1 ? "NIfTI-1" : "NIfTI-2",
                type.numpyName,
                h.descrip);
    }

    private static double[][] qformAffine(Header h, Path file) throws VolumeFormatException {
        double b = h.quatern[0];
        double c = h.quatern[1];
        double d = h.quatern[2];
        double w2 = 1.0 - (b * b + c * c + d * d);
        double w;
        if (w2 < 0) {
            // nibabel tolerates float32 rounding (3 eps) and sets w = 0
            if (w2 < -3 * Math.ulp(1.0f)) {
                throw VolumeFormatException.field(
                        file,
                        "quatern_b/c/d",
                        b + ", " + c + ", " + d,
                        "b^2 + c^2 + d^2 <= 1 (a unit quaternion)");
            }
            w = 0;
        } else {
            w = Math.sqrt(w2);
        }
        double[][] r = Affines.quaternionToMatrix(w, b, c, d);
        double[] vox = {h.pixdim[1], h.pixdim[2], h.pixdim[3]};
        for (int i = 0; i < 3; i++) {
            if (vox[i] < 0) {
                throw VolumeFormatException.field(
                        file, "pixdim[" + (i + 1) + "]", vox[i], ">= 0 with a qform");
            }
        }
        double qfac = h.pixdim[0] == -1 ? -1 : 1; // anything but +-1 is read as 1, like nibabel
        vox[2] *= qfac;
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = r[i][j] * vox[j];
            }
            a[i][3] = h.qoffset[i];
        }
        a[3][3] = 1;
        return a;
    }

    /** nibabel's {@code shape_zoom_affine(shape, zooms, x_flip=True)}. */
    private static double[][] baseAffine(Header h, long[] dims) {
        double[] shape = {1, 1, 1};
        double[] zooms = {1, 1, 1};
        for (int a = 0; a < Math.min(3, dims.length); a++) {
            shape[a] = dims[a];
            zooms[a] = h.pixdim[a + 1];
        }
        zooms[0] = -zooms[0];
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            a[i][i] = zooms[i];
            a[i][3] = -((shape[i] - 1) / 2.0) * zooms[i];
        }
        a[3][3] = 1;
        return a;
    }

    private static byte[] header1(Volume v, long[] dims, ElementType type) {
        ByteBuffer b = ByteBuffer.allocate(N1_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        double[][] a = v.affine();
        Affines.Qform q = Affines.toQform(a);
        b.putInt(0, N1_HEADER);
        b.put(38, (byte) 'r');
        b.putShort(40, (short) dims.length);
        for (int i = 0; i < 7; i++) {
            b.putShort(42 + 2 * i, (short) (i < dims.length ? dims[i] : 1));
        }
        b.putShort(70, (short) code(type));
        b.putShort(72, (short) (type.bytes * 8));
        double[] pixdim = pixdim(v, dims, q);
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, (float) pixdim[i]);
        }
        b.putFloat(108, N1_HEADER + 4);
        b.putFloat(112, 1f);
        b.putFloat(116, 0f);
        b.put(123, (byte) xyztUnits(v));
        putString(b, 148, 80, v.description());
        b.putShort(252, (short) (Affines.isShearFree(a, 1e-6) ? 1 : 0));
        b.putShort(254, (short) 1);
        b.putFloat(256, (float) q.b());
        b.putFloat(260, (float) q.c());
        b.putFloat(264, (float) q.d());
        for (int i = 0; i < 3; i++) {
            b.putFloat(268 + 4 * i, (float) q.offset()[i]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, (float) a[r][c]);
            }
        }
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
        return b.array();
    }

    private static byte[] header2(Volume v, long[] dims, ElementType type) {
        ByteBuffer b = ByteBuffer.allocate(N2_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        double[][] a = v.affine();
        Affines.Qform q = Affines.toQform(a);
        b.putInt(0, N2_HEADER);
        byte[] magic = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
        b.put(4, magic);
        b.putShort(12, (short) code(type));
        b.putShort(14, (short) (type.bytes * 8));
        b.putLong(16, dims.length);
        for (int i = 0; i < 7; i++) {
            b.putLong(24 + 8 * i, i < dims.length ? dims[i] : 1);
        }
        double[] pixdim = pixdim(v, dims, q);
        for (int i = 0; i < 8; i++) {
            b.putDouble(104 + 8 * i, pixdim[i]);
        }
        b.putLong(168, N2_HEADER + 4);
        b.putDouble(176, 1.0);
        b.putDouble(184, 0.0);
        putString(b, 240, 80, v.description());
        b.putInt(344, Affines.isShearFree(a, 1e-6) ? 1 : 0);
        b.putInt(348, 1);
        b.putDouble(352, q.b());
        b.putDouble(360, q.c());
        b.putDouble(368, q.d());
        for (int i = 0; i < 3; i++) {
            b.putDouble(376 + 8 * i, q.offset()[i]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putDouble(400 + 32 * r + 8 * c, a[r][c]);
            }
        }
        b.putInt(500, xyztUnits(v));
        return b.array();
    }

    private static double[] pixdim(Volume v, long[] dims, Affines.Qform q) {
        double[] p = {q.qfac(), q.zooms()[0], q.zooms()[1], q.zooms()[2], 1, 1, 1, 1};
        // Keep the volume's own spacing (e.g. the pixdim it was read with) when it agrees with
        // the affine, so that get_zooms() round-trips exactly; otherwise the affine decides.
        double[] spacing = v.spacing();
        for (int a = 0; a < 3; a++) {
            if (Math.abs(spacing[a] - p[a + 1]) <= 1e-4 * p[a + 1]) {
                p[a + 1] = spacing[a];
            }
        }
        if (dims.length >= 4) {
            p[4] = v.zooms()[3];
        }
        return p;
    }

    private static int xyztUnits(Volume v) {
        int time =
                switch (v.timeUnit()) {
                    case "sec" -> 8;
                    case "msec" -> 16;
                    case "usec" -> 24;
                    case "hz" -> 32;
                    case "ppm" -> 40;
                    case "rads" -> 48;
                    default -> 0;
                };
        return 2 | time;
    }

    private static void putString(ByteBuffer b, int off, int len, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        b.put(off, bytes, 0, Math.min(bytes.length, len - 1));
    }

    private static String magic(ByteBuffer b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len && b.get(off + i) != 0; i++) {
            s.append((char) (b.get(off + i) & 0xff));
        }
        return s.toString();
    }

    private static String printable(ByteBuffer b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = b.get(off + i) & 0xff;
            if (c >= 32 && c < 127) {
                s.append((char) c);
            } else {
                s.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        return s.toString();
    }

    private static String string(ByteBuffer b, int off, int len) {
        int n = 0;
        while (n < len && b.get(off + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(off, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1).trim();
    }

    static long[] reverse(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    private static int readUpTo(InputStream in, byte[] buf, int off, int len, Path file)
            throws IOException {
        int done = 0;
        try {
            while (done < len) {
                int r = in.read(buf, off + done, len - done);
                if (r < 0) {
                    break;
                }
                done += r;
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new VolumeFormatException(
                    file,
                    "truncated or corrupt gzip stream in the header (" + e.getMessage() + ")",
                    e);
        }
        return done;
    }

    private static void skipExactly(InputStream in, long n, Path file) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int got = readUpTo(in, buf, 0, (int) Math.min(buf.length, left), file);
            if (got == 0) {
                throw new VolumeFormatException(
                        file,
                        "truncated: the file ends inside the header extensions, before vox_offset");
            }
            left -= got;
        }
    }
}
