package org.voxel4j.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of single-frame DICOM images (one series) into a {@link Volume}, with its own
 * minimal parser ({@link DicomFile}); read only.
 *
 * <p>Supports Part 10 files (128-byte preamble + "DICM") and bare datasets, in the uncompressed
 * transfer syntaxes implicit VR little endian, explicit VR little endian and explicit VR big
 * endian; compressed syntaxes (JPEG, JPEG-LS, JPEG 2000, RLE, deflate) fail with a clear error.
 * Slices are sorted by their position along the slice normal (ImagePositionPatient projected on the
 * cross product of the ImageOrientationPatient row and column cosines, DICOM PS3.3 C.7.6.2.1.1);
 * the slice step is taken from the positions and must be constant. The LPS+ patient geometry is
 * converted to the RAS+ affine of {@link Volume}: column 0 = row cosine x PixelSpacing[1] (between
 * columns), column 1 = column cosine x PixelSpacing[0] (between rows), column 2 = the step between
 * consecutive slice positions, translation = the first slice's position, then rows 0 and 1 negated.
 * Data are {@code [slices, rows, columns]}.
 *
 * <p>RescaleSlope/RescaleIntercept (per slice) are applied when any slice has a non-identity pair,
 * giving FLOAT (DOUBLE for 32-bit pixels); otherwise the stored type is kept (uint8, int8, uint16,
 * int16, uint32, int32 by BitsAllocated and PixelRepresentation). Signed pixels with BitsStored
 * below BitsAllocated are sign-extended, unsigned ones masked to BitsStored. Multi-frame images,
 * SamplesPerPixel other than 1 and mixed series are rejected.
 */
public final class DicomSeriesReader {
    private static final Logger LOG = LoggerFactory.getLogger(DicomSeriesReader.class);

    /** Relative tolerance on slice positions, orientations and spacings across a series. */
    private static final double TOL = 1e-3;

    private DicomSeriesReader() {}

    /** Reads the one series in {@code dir} (files in sub-folders are ignored). */
    public static Volume read(Path dir) throws IOException {
        return readFiles(listFiles(dir), null, dir);
    }

    /** Reads the series {@code seriesUid} from {@code dir}, ignoring other series. */
    public static Volume read(Path dir, String seriesUid) throws IOException {
        return readFiles(listFiles(dir), seriesUid, dir);
    }

    /**
     * The series in {@code dir}: SeriesInstanceUID to the number of image files, in first-seen
     * order (an image without a UID counts under "").
     */
    public static Map<String, Integer> listSeries(Path dir) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (DicomFile.Header h : headers(listFiles(dir))) {
            out.merge(h.seriesUid == null ? "" : h.seriesUid, 1, Integer::sum);
        }
        return out;
    }

    /** Reads the given files as one series ({@code seriesUid} null: they must hold exactly one). */
    public static Volume readFiles(List<Path> files, String seriesUid) throws IOException {
        Path where = files.isEmpty() ? Path.of(".") : files.get(0).toAbsolutePath().getParent();
        return readFiles(files, seriesUid, files.size() == 1 ? files.get(0) : where);
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static List<DicomFile.Header> headers(List<Path> files) throws IOException {
        List<DicomFile.Header> out = new ArrayList<>();
        for (Path f : files) {
            DicomFile.Header h = DicomFile.parse(f);
            if (h == null) {
                LOG.debug("{}: not DICOM, skipped", f);
            } else if (h.pixelOffset < 0) {
                LOG.debug("{}: DICOM without pixel data, skipped", f);
            } else {
                out.add(h);
            }
        }
        return out;
    }

    private static Volume readFiles(List<Path> files, String seriesUid, Path where)
            throws IOException {
        List<DicomFile.Header> all = headers(files);
        if (all.isEmpty()) {
            throw new VolumeFormatException(
                    where,
                    "no DICOM image files found ("
                            + files.size()
                            + " files examined), expected one series of single-frame images");
        }
        Map<String, List<DicomFile.Header>> bySeries = new LinkedHashMap<>();
        for (DicomFile.Header h : all) {
            bySeries.computeIfAbsent(h.seriesUid == null ? "" : h.seriesUid, k -> new ArrayList<>())
                    .add(h);
        }
        List<DicomFile.Header> series;
        if (seriesUid != null) {
            series = bySeries.get(seriesUid);
            if (series == null) {
                throw VolumeFormatException.field(
                        where, "SeriesInstanceUID", seriesUid, "one of " + summary(bySeries));
            }
        } else if (bySeries.size() > 1) {
            throw new VolumeFormatException(
                    where,
                    "holds "
                            + bySeries.size()
                            + " series ("
                            + summary(bySeries)
                            + "), expected one; choose one by its SeriesInstanceUID");
        } else {
            series = bySeries.values().iterator().next();
        }
        return assemble(series, where);
    }

    private static String summary(Map<String, List<DicomFile.Header>> bySeries) {
        return bySeries.entrySet().stream()
                .map(
                        e ->
                                (e.getKey().isEmpty() ? "<no UID>" : e.getKey())
                                        + " ("
                                        + e.getValue().size()
                                        + " files)")
                .collect(Collectors.joining(", "));
    }

    private static Volume assemble(List<DicomFile.Header> series, Path where) throws IOException {
        DicomFile.Header first = series.get(0);
        for (DicomFile.Header h : series) {
            require(h, "Rows", h.rows);
            require(h, "Columns", h.columns);
            require(h, "BitsAllocated", h.bitsAllocated);
            if (h.samplesPerPixel != null && h.samplesPerPixel != 1) {
                throw VolumeFormatException.field(
                        h.file,
                        "(0028,0002) SamplesPerPixel",
                        h.samplesPerPixel,
                        "1 (colour images are not supported)");
            }
            if (h.numberOfFrames != null && h.numberOfFrames > 1) {
                throw VolumeFormatException.field(
                        h.file,
                        "(0028,0008) NumberOfFrames",
                        h.numberOfFrames,
                        "1 (multi-frame images are not supported)");
            }
            if (h.photometric != null && !h.photometric.startsWith("MONOCHROME")) {
                throw VolumeFormatException.field(
                        h.file,
                        "(0028,0004) PhotometricInterpretation",
                        h.photometric,
                        "MONOCHROME1 or MONOCHROME2");
            }
            int ba = h.bitsAllocated;
            if (ba != 8 && ba != 16 && ba != 32) {
                throw VolumeFormatException.field(
                        h.file, "(0028,0100) BitsAllocated", ba, "8, 16 or 32");
            }
            same(first, h, "(0028,0010) Rows", first.rows, h.rows);
            same(first, h, "(0028,0011) Columns", first.columns, h.columns);
            same(first, h, "(0028,0100) BitsAllocated", first.bitsAllocated, h.bitsAllocated);
            same(first, h, "(0028,0103) PixelRepresentation", rep(first), rep(h));
            if ((first.position == null) != (h.position == null)
                    || (first.orientation == null) != (h.orientation == null)) {
                throw new VolumeFormatException(
                        h.file,
                        "has "
                                + (h.position == null ? "no " : "")
                                + "ImagePositionPatient/ImageOrientationPatient while "
                                + first.file.getFileName()
                                + " has "
                                + (first.position == null ? "none" : "them")
                                + "; expected a consistent series");
            }
            if (h.orientation != null && !close(first.orientation, h.orientation, TOL)) {
                throw VolumeFormatException.field(
                        h.file,
                        "(0020,0037) ImageOrientationPatient",
                        Arrays.toString(h.orientation),
                        "the orientation of the rest of the series, "
                                + Arrays.toString(first.orientation)
                                + " (from "
                                + first.file.getFileName()
                                + ")");
            }
            double[] ps = h.pixelSpacing;
            if (ps != null && (!(ps[0] > 0) || !(ps[1] > 0))) {
                throw VolumeFormatException.field(
                        h.file, "(0028,0030) PixelSpacing", Arrays.toString(ps), "values > 0");
            }
            if (first.pixelSpacing != null && ps != null && !close(first.pixelSpacing, ps, TOL)) {
                throw VolumeFormatException.field(
                        h.file,
                        "(0028,0030) PixelSpacing",
                        Arrays.toString(ps),
                        "the spacing of the rest of the series, "
                                + Arrays.toString(first.pixelSpacing));
            }
        }

        // geometry (LPS)
        double[] rowCos = {1, 0, 0};
        double[] colCos = {0, 1, 0};
        if (first.orientation != null) {
            rowCos = Arrays.copyOfRange(first.orientation, 0, 3);
            colCos = Arrays.copyOfRange(first.orientation, 3, 6);
            if (Math.abs(norm(rowCos) - 1) > 1e-2
                    || Math.abs(norm(colCos) - 1) > 1e-2
                    || Math.abs(dot(rowCos, colCos)) > 1e-2) {
                throw VolumeFormatException.field(
                        first.file,
                        "(0020,0037) ImageOrientationPatient",
                        Arrays.toString(first.orientation),
                        "two orthogonal unit vectors");
            }
        }
        double[] normal = cross(rowCos, colCos);
        List<DicomFile.Header> sorted = new ArrayList<>(series);
        int n = sorted.size();
        double[] step;
        if (first.position != null) {
            sorted.sort(Comparator.comparingDouble(h -> dot(h.position, normal)));
            step = sliceStep(sorted, normal);
        } else {
            sorted.sort(
                    Comparator.comparingInt(
                            (DicomFile.Header h) ->
                                    h.instanceNumber == null ? 0 : h.instanceNumber));
            if (n > 1) {
                LOG.warn("{}: no ImagePositionPatient; slices ordered by InstanceNumber", where);
            }
            step = null;
        }
        if (step == null) {
            double dz =
                    first.spacingBetweenSlices != null && first.spacingBetweenSlices > 0
                            ? first.spacingBetweenSlices
                            : first.sliceThickness != null && first.sliceThickness > 0
                                    ? first.sliceThickness
                                    : 1.0;
            step = new double[] {normal[0] * dz, normal[1] * dz, normal[2] * dz};
        }
        double[] ps = first.pixelSpacing != null ? first.pixelSpacing : new double[] {1, 1};
        if (first.pixelSpacing == null) {
            LOG.warn("{}: no PixelSpacing; assuming 1 mm", where);
        }
        double[] origin = sorted.get(0).position != null ? sorted.get(0).position : new double[3];
        double[][] lps = new double[4][4];
        for (int r = 0; r < 3; r++) {
            lps[r][0] = rowCos[r] * ps[1];
            lps[r][1] = colCos[r] * ps[0];
            lps[r][2] = step[r];
            lps[r][3] = origin[r];
        }
        lps[3][3] = 1;
        double[][] affine = Affines.flipLpsRas(lps);

        // voxels
        int rows = first.rows;
        int cols = first.columns;
        int bytes = first.bitsAllocated / 8;
        boolean signed = rep(first) == 1;
        ElementType type =
                switch (bytes) {
                    case 1 -> signed ? ElementType.INT8 : ElementType.UINT8;
                    case 2 -> signed ? ElementType.INT16 : ElementType.UINT16;
                    default -> signed ? ElementType.INT32 : ElementType.UINT32;
                };
        long sliceBytes = (long) rows * cols * bytes;
        RawData.byteCount(where, "Rows x Columns x slices", new long[] {n, rows, cols}, bytes);
        for (DicomFile.Header h : sorted) {
            if (h.pixelLength < sliceBytes) {
                throw new VolumeFormatException(
                        h.file,
                        "truncated: PixelData has "
                                + h.pixelLength
                                + " bytes, expected "
                                + sliceBytes
                                + " (Rows "
                                + rows
                                + " x Columns "
                                + cols
                                + " x "
                                + bytes
                                + " bytes)");
            }
        }
        INDArray raw = Nd4j.createUninitialized(type.nd4j, new long[] {n, rows, cols}, 'c');
        ByteBuffer dst = raw.data().asNio().order(ByteOrder.nativeOrder());
        byte[] buf = new byte[(int) sliceBytes];
        for (int k = 0; k < n; k++) {
            DicomFile.Header h = sorted.get(k);
            ByteBuffer src = DicomFile.pixelBytes(h);
            src.get(0, buf, 0, buf.length);
            if (bytes > 1 && h.order != ByteOrder.nativeOrder()) {
                RawData.swapInPlace(buf, buf.length, bytes);
            }
            dst.put((int) (k * sliceBytes), buf, 0, buf.length);
        }
        int stored = first.bitsStored != null ? first.bitsStored : first.bitsAllocated;
        if (stored < first.bitsAllocated && stored > 0) {
            fixStoredBits(dst, n * (long) rows * cols, bytes, stored, signed);
        }

        INDArray data = raw;
        boolean rescale = false;
        for (DicomFile.Header h : sorted) {
            rescale |= slope(h) != 1.0 || intercept(h) != 0.0;
        }
        if (rescale) {
            double[] slopes = new double[n];
            double[] inters = new double[n];
            for (int k = 0; k < n; k++) {
                slopes[k] = slope(sorted.get(k));
                inters[k] = intercept(sorted.get(k));
            }
            data = RawData.scaleBlocks(raw, type, slopes, inters, (long) rows * cols);
        }
        return new Volume(
                data,
                affine,
                Volume.columnNorms(affine),
                1.0,
                "unknown",
                "DICOM",
                type.numpyName,
                first.seriesDescription);
    }

    /** The step vector between consecutive slices, checked to be constant. */
    private static double[] sliceStep(List<DicomFile.Header> sorted, double[] normal)
            throws VolumeFormatException {
        int n = sorted.size();
        if (n < 2) {
            return null;
        }
        double[] p0 = sorted.get(0).position;
        double[] pn = sorted.get(n - 1).position;
        double[] step = new double[3];
        for (int i = 0; i < 3; i++) {
            step[i] = (pn[i] - p0[i]) / (n - 1);
        }
        double len = norm(step);
        for (int k = 1; k < n; k++) {
            DicomFile.Header a = sorted.get(k - 1);
            DicomFile.Header b = sorted.get(k);
            double gap = dot(b.position, normal) - dot(a.position, normal);
            if (Math.abs(gap) < 1e-6) {
                throw new VolumeFormatException(
                        b.file,
                        "is at the same position "
                                + Arrays.toString(b.position)
                                + " as "
                                + a.file.getFileName()
                                + "; expected one slice per position (duplicate or mixed series)");
            }
            double dev = 0;
            for (int i = 0; i < 3; i++) {
                dev = Math.max(dev, Math.abs(b.position[i] - (p0[i] + k * step[i])));
            }
            if (dev > Math.max(TOL * len * 10, 1e-3)) {
                throw new VolumeFormatException(
                        b.file,
                        "slice positions are not evenly spaced: gap "
                                + fmt(gap)
                                + " mm after "
                                + a.file.getFileName()
                                + " while the mean step is "
                                + fmt(len)
                                + " mm over "
                                + n
                                + " slices; expected a constant slice spacing (missing slice?)");
            }
        }
        return step;
    }

    private static void fixStoredBits(
            ByteBuffer b, long count, int bytes, int stored, boolean signed) {
        int shift = bytes * 8 - stored;
        for (int i = 0; i < count; i++) {
            switch (bytes) {
                case 1 -> {
                    int v = b.get(i);
                    b.put(
                            i,
                            (byte)
                                    (signed
                                            ? (byte) (v << shift) >> shift
                                            : v & ((1 << stored) - 1)));
                }
                case 2 -> {
                    int v = b.getShort(2 * i);
                    b.putShort(
                            2 * i,
                            (short)
                                    (signed
                                            ? (short) (v << shift) >> shift
                                            : v & ((1 << stored) - 1)));
                }
                default -> {
                    int v = b.getInt(4 * i);
                    b.putInt(
                            4 * i,
                            signed ? (v << shift) >> shift : (int) (v & ((1L << stored) - 1)));
                }
            }
        }
    }

    private static double slope(DicomFile.Header h) {
        return h.slope == null || h.slope == 0 ? 1.0 : h.slope;
    }

    private static double intercept(DicomFile.Header h) {
        return h.intercept == null ? 0.0 : h.intercept;
    }

    private static int rep(DicomFile.Header h) {
        return h.pixelRepresentation == null ? 0 : h.pixelRepresentation;
    }

    private static void require(DicomFile.Header h, String name, Object v)
            throws VolumeFormatException {
        if (v == null) {
            throw new VolumeFormatException(
                    h.file, "has no " + name + ", expected one in an image");
        }
    }

    private static void same(
            DicomFile.Header a, DicomFile.Header b, String field, Object x, Object y)
            throws VolumeFormatException {
        if (!x.equals(y)) {
            throw VolumeFormatException.field(
                    b.file,
                    field,
                    y,
                    x + " like the rest of the series (" + a.file.getFileName() + ")");
        }
    }

    private static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol * Math.max(1, Math.abs(a[i]))) {
                return false;
            }
        }
        return true;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {
            a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
        };
    }
}
