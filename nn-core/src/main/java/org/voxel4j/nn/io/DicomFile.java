package org.voxel4j.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A minimal DICOM Part 10 / raw dataset parser (DICOM PS3.5 section 7, PS3.10 section 7): reads the
 * top-level attributes a CT/MR series reader needs and locates Pixel Data. Sequences (defined or
 * undefined length, nested items) are skipped without being interpreted.
 */
final class DicomFile {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int TRANSFER_SYNTAX = 0x00020010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQ_END = 0xFFFEE0DD;

    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 7.1.2). */
    private static final Set<String> LONG_VRS =
            Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV");

    private static final Map<String, String> SYNTAX_NAMES =
            Map.ofEntries(
                    Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
                    Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline"),
                    Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended"),
                    Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless"),
                    Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"),
                    Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
                    Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
                    Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"),
                    Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
                    Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K Lossless"),
                    Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
                    Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    /** The attributes of one file the series reader uses. Missing ones are null. */
    static final class Header {
        Path file;
        String transferSyntax;
        ByteOrder order;
        String seriesUid;
        String seriesDescription = "";
        Integer instanceNumber;
        Integer rows;
        Integer columns;
        Integer bitsAllocated;
        Integer bitsStored;
        Integer pixelRepresentation;
        Integer samplesPerPixel;
        Integer numberOfFrames;
        String photometric;
        double[] pixelSpacing;
        double[] position;
        double[] orientation;
        Double slope;
        Double intercept;
        Double sliceThickness;
        Double spacingBetweenSlices;
        long pixelOffset = -1;
        long pixelLength;
    }

    private final Path file;
    private final ByteBuffer b;
    private boolean explicit;

    private DicomFile(Path file, ByteBuffer b) {
        this.file = file;
        this.b = b;
    }

    /**
     * Parses {@code file}; returns null if it is not DICOM (no "DICM" marker and no plausible
     * dataset start).
     *
     * @throws VolumeFormatException for a DICOM file that is malformed or uses a compressed
     *     transfer syntax
     */
    static Header parse(Path file) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new VolumeFormatException(
                        file, "file of " + size + " bytes, expected < 2 GiB");
            }
            if (size < 8) {
                return null;
            }
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        return new DicomFile(file, b).header();
    }

    private Header header() throws VolumeFormatException {
        Header h = new Header();
        h.file = file;
        int pos;
        b.order(ByteOrder.LITTLE_ENDIAN);
        boolean part10 =
                b.limit() >= 132
                        && b.get(128) == 'D'
                        && b.get(129) == 'I'
                        && b.get(130) == 'C'
                        && b.get(131) == 'M';
        if (part10) {
            pos = 132;
        } else {
            int group = b.getShort(0) & 0xffff;
            if (group != 0x0002
                    && group != 0x0008
                    && group != 0x0010
                    && group != 0x0018
                    && group != 0x0020
                    && group != 0x0028) {
                return null;
            }
            pos = 0;
        }
        // File meta information: always explicit VR little endian (PS3.10 7.1)
        String ts = null;
        if ((b.getShort(pos) & 0xffff) == 0x0002) {
            explicit = true;
            while (pos + 8 <= b.limit() && (b.getShort(pos) & 0xffff) == 0x0002) {
                long[] e = element(pos);
                int tag = (int) e[0];
                int hdr = (int) e[2];
                long len = e[1];
                checkLength(tag, pos + hdr, len);
                if (tag == TRANSFER_SYNTAX) {
                    ts = string(pos + hdr, (int) len);
                }
                pos += hdr + (int) len;
            }
            if (ts == null) {
                throw new VolumeFormatException(
                        file, "file meta information has no TransferSyntaxUID (0002,0010)");
            }
        } else {
            // A bare dataset: implicit VR little endian is the default (PS3.5 A.1); recognise
            // explicit VR by a valid VR at bytes 4..5.
            ts = looksExplicit(pos) ? EXPLICIT_LE : IMPLICIT_LE;
        }
        h.transferSyntax = ts;
        switch (ts) {
            case IMPLICIT_LE -> {
                explicit = false;
                b.order(ByteOrder.LITTLE_ENDIAN);
            }
            case EXPLICIT_LE -> {
                explicit = true;
                b.order(ByteOrder.LITTLE_ENDIAN);
            }
            case EXPLICIT_BE -> {
                explicit = true;
                b.order(ByteOrder.BIG_ENDIAN);
            }
            default ->
                    throw new VolumeFormatException(
                            file,
                            "transfer syntax "
                                    + ts
                                    + " ("
                                    + SYNTAX_NAMES.getOrDefault(ts, "unknown")
                                    + ") not supported; expected an uncompressed one: implicit VR little"
                                    + " endian (1.2.840.10008.1.2), explicit VR little endian"
                                    + " (1.2.840.10008.1.2.1) or explicit VR big endian"
                                    + " (1.2.840.10008.1.2.2)");
        }
        h.order = b.order();
        while (pos + 8 <= b.limit()) {
            long[] e = element(pos);
            int tag = (int) e[0];
            long len = e[1];
            int hdr = (int) e[2];
            int value = pos + hdr;
            if (tag == PIXEL_DATA) {
                if (len == UNDEFINED) {
                    throw new VolumeFormatException(
                            file,
                            "Pixel Data is encapsulated (compressed) under transfer syntax "
                                    + ts
                                    + ", expected native pixel data");
                }
                checkLength(tag, value, len);
                h.pixelOffset = value;
                h.pixelLength = len;
                break;
            }
            if (len == UNDEFINED) {
                pos = skipUndefined(pos, value, 0);
                continue;
            }
            checkLength(tag, value, len);
            read(h, tag, value, (int) len);
            pos = value + (int) len;
        }
        return h;
    }

    private void read(Header h, int tag, int off, int len) throws VolumeFormatException {
        switch (tag) {
            case 0x0008103E -> h.seriesDescription = string(off, len);
            case 0x00180050 -> h.sliceThickness = decimal(tag, off, len);
            case 0x00180088 -> h.spacingBetweenSlices = decimal(tag, off, len);
            case 0x0020000E -> h.seriesUid = string(off, len);
            case 0x00200013 -> h.instanceNumber = integerString(tag, off, len);
            case 0x00200032 -> h.position = decimals(tag, off, len, 3);
            case 0x00200037 -> h.orientation = decimals(tag, off, len, 6);
            case 0x00280002 -> h.samplesPerPixel = us(tag, off, len);
            case 0x00280004 -> h.photometric = string(off, len);
            case 0x00280008 -> h.numberOfFrames = integerString(tag, off, len);
            case 0x00280010 -> h.rows = us(tag, off, len);
            case 0x00280011 -> h.columns = us(tag, off, len);
            case 0x00280030 -> h.pixelSpacing = decimals(tag, off, len, 2);
            case 0x00280100 -> h.bitsAllocated = us(tag, off, len);
            case 0x00280101 -> h.bitsStored = us(tag, off, len);
            case 0x00280103 -> h.pixelRepresentation = us(tag, off, len);
            case 0x00281052 -> h.intercept = decimal(tag, off, len);
            case 0x00281053 -> h.slope = decimal(tag, off, len);
            default -> {}
        }
    }

    /** {tag, length, header bytes} of the element at {@code pos}. */
    private long[] element(int pos) throws VolumeFormatException {
        if (pos + 8 > b.limit()) {
            throw new VolumeFormatException(
                    file, "truncated: element header at byte " + pos + " runs past the end");
        }
        int group = b.getShort(pos) & 0xffff;
        int elem = b.getShort(pos + 2) & 0xffff;
        int tag = (group << 16) | elem;
        if (group == 0xFFFE) {
            return new long[] {tag, b.getInt(pos + 4) & 0xffffffffL, 8};
        }
        if (explicit) {
            String vr =
                    new String(
                            new byte[] {b.get(pos + 4), b.get(pos + 5)}, StandardCharsets.US_ASCII);
            if (LONG_VRS.contains(vr)) {
                if (pos + 12 > b.limit()) {
                    throw new VolumeFormatException(
                            file,
                            "truncated: element " + tagName(tag) + " header runs past the end");
                }
                return new long[] {tag, b.getInt(pos + 8) & 0xffffffffL, 12};
            }
            if (!vr.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
                throw new VolumeFormatException(
                        file,
                        "element "
                                + tagName(tag)
                                + " at byte "
                                + pos
                                + " has VR '"
                                + vr.replaceAll("[^\\x20-\\x7e]", "?")
                                + "', expected two upper-case letters (explicit VR)");
            }
            return new long[] {tag, b.getShort(pos + 6) & 0xffff, 8};
        }
        return new long[] {tag, b.getInt(pos + 4) & 0xffffffffL, 8};
    }

    /**
     * Skips an undefined-length element whose header is at {@code elementPos}. Under explicit VR a
     * UN element of undefined length holds an implicit VR little endian sequence (PS3.5 6.2.2).
     */
    private int skipUndefined(int elementPos, int valuePos, int depth)
            throws VolumeFormatException {
        boolean un = explicit && b.get(elementPos + 4) == 'U' && b.get(elementPos + 5) == 'N';
        if (!un) {
            return skipSequence(valuePos, depth);
        }
        ByteOrder saved = b.order();
        explicit = false;
        b.order(ByteOrder.LITTLE_ENDIAN);
        try {
            return skipSequence(valuePos, depth);
        } finally {
            explicit = true;
            b.order(saved);
        }
    }

    /** Skips the items of an undefined-length sequence starting at {@code pos}; returns the end. */
    private int skipSequence(int pos, int depth) throws VolumeFormatException {
        if (depth > 64) {
            throw new VolumeFormatException(file, "sequences nested deeper than 64 levels");
        }
        while (true) {
            long[] e = element(pos);
            int tag = (int) e[0];
            long len = e[1];
            if (tag == SEQ_END) {
                return pos + 8;
            }
            if (tag != ITEM) {
                throw new VolumeFormatException(
                        file,
                        "inside a sequence at byte "
                                + pos
                                + " found "
                                + tagName(tag)
                                + ", expected an item (FFFE,E000) or the sequence delimiter"
                                + " (FFFE,E0DD)");
            }
            if (len == UNDEFINED) {
                pos = skipItem(pos + 8, depth);
            } else {
                checkLength(tag, pos + 8, len);
                pos += 8 + (int) len;
            }
        }
    }

    private int skipItem(int pos, int depth) throws VolumeFormatException {
        while (true) {
            long[] e = element(pos);
            int tag = (int) e[0];
            long len = e[1];
            int hdr = (int) e[2];
            if (tag == ITEM_END) {
                return pos + 8;
            }
            if (len == UNDEFINED) {
                pos = skipUndefined(pos, pos + hdr, depth + 1);
            } else {
                checkLength(tag, pos + hdr, len);
                pos += hdr + (int) len;
            }
        }
    }

    private boolean looksExplicit(int pos) {
        byte v0 = b.get(pos + 4);
        byte v1 = b.get(pos + 5);
        return v0 >= 'A' && v0 <= 'Z' && v1 >= 'A' && v1 <= 'Z';
    }

    private void checkLength(int tag, long value, long len) throws VolumeFormatException {
        if (len == UNDEFINED || value + len > b.limit()) {
            throw new VolumeFormatException(
                    file,
                    "truncated: element "
                            + tagName(tag)
                            + " declares "
                            + len
                            + " bytes at byte "
                            + value
                            + ", but the file has "
                            + b.limit()
                            + " bytes");
        }
    }

    private String string(int off, int len) {
        byte[] raw = new byte[len];
        b.get(off, raw);
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end).strip();
    }

    private Integer us(int tag, int off, int len) throws VolumeFormatException {
        if (len < 2) {
            if (len == 0) {
                return null;
            }
            throw new VolumeFormatException(
                    file, "element " + tagName(tag) + " has " + len + " bytes, expected 2 (US)");
        }
        return b.getShort(off) & 0xffff;
    }

    private Integer integerString(int tag, int off, int len) throws VolumeFormatException {
        String s = string(off, len);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(s.split("\\\\")[0].strip());
        } catch (NumberFormatException e) {
            throw VolumeFormatException.field(
                    file, tagName(tag), "'" + s + "'", "an integer string (IS)");
        }
    }

    private Double decimal(int tag, int off, int len) throws VolumeFormatException {
        double[] v = decimals(tag, off, len, 1);
        return v == null ? null : v[0];
    }

    private double[] decimals(int tag, int off, int len, int count) throws VolumeFormatException {
        String s = string(off, len);
        if (s.isEmpty()) {
            return null;
        }
        String[] parts = s.split("\\\\");
        if (parts.length < count) {
            throw VolumeFormatException.field(
                    file,
                    tagName(tag),
                    "'" + s + "'",
                    count + " decimal strings separated by '\\'");
        }
        double[] r = new double[count];
        try {
            for (int i = 0; i < count; i++) {
                r[i] = Double.parseDouble(parts[i].strip());
                if (!Double.isFinite(r[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw VolumeFormatException.field(
                    file, tagName(tag), "'" + s + "'", count + " finite decimal strings (DS)");
        }
        return r;
    }

    static String tagName(int tag) {
        String t = String.format(Locale.ROOT, "(%04X,%04X)", (tag >>> 16) & 0xffff, tag & 0xffff);
        String name =
                switch (tag) {
                    case 0x00180050 -> " SliceThickness";
                    case 0x00180088 -> " SpacingBetweenSlices";
                    case 0x00200013 -> " InstanceNumber";
                    case 0x00200032 -> " ImagePositionPatient";
                    case 0x00200037 -> " ImageOrientationPatient";
                    case 0x00280002 -> " SamplesPerPixel";
                    case 0x00280008 -> " NumberOfFrames";
                    case 0x00280010 -> " Rows";
                    case 0x00280011 -> " Columns";
                    case 0x00280030 -> " PixelSpacing";
                    case 0x00280100 -> " BitsAllocated";
                    case 0x00280101 -> " BitsStored";
                    case 0x00280103 -> " PixelRepresentation";
                    case 0x00281052 -> " RescaleIntercept";
                    case 0x00281053 -> " RescaleSlope";
                    case PIXEL_DATA -> " PixelData";
                    default -> "";
                };
        return t + name;
    }

    /** The pixel bytes of a parsed file. */
    static ByteBuffer pixelBytes(Header h) throws IOException {
        try (FileChannel ch = FileChannel.open(h.file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, h.pixelOffset, h.pixelLength);
        }
    }
}
