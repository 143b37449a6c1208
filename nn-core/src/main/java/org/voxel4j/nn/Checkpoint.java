package org.voxel4j.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.AtomicFiles;

/**
 * The {@code .v4j} checkpoint container: one file holding a JSON header (model configuration,
 * trainer state, library version, tensor table) and raw little-endian tensor data.
 *
 * <pre>
 * magic      8 bytes  0x89 'V' '4' 'J' '\r' '\n' 0x1a '\n'
 * version    u32 LE   format version (1)
 * headerLen  u32 LE   bytes of the UTF-8 JSON header
 * header     JSON     {"tensors":[{"name","dtype","shape","offset","bytes"}...], ...}
 * data       bytes    tensors back to back, offsets relative to the start of this region
 * trailer    8 bytes  'V' '4' 'J' 'E' + CRC32 (u32 LE) of everything before the trailer
 * </pre>
 *
 * Reading verifies the magic, version, CRC and that every tensor's declared size matches its extent
 * in the file before allocating anything. No Java serialisation is involved: reading a file never
 * runs code.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {(byte) 0x89, 'V', '4', 'J', '\r', '\n', 0x1a, '\n'};
    private static final byte[] TRAILER = {'V', '4', 'J', 'E'};
    private static final int MAX_HEADER = 64 << 20;

    /** A checkpoint read back: its header and its tensors by name, in file order. */
    public record Contents(Path file, ObjectNode header, Map<String, INDArray> tensors) {}

    /** Writes {@code header} (a {@code tensors} table is added) and {@code tensors} atomically. */
    public static void write(Path file, ObjectNode header, Map<String, INDArray> tensors)
            throws IOException {
        ObjectNode h = header.deepCopy();
        h.put("format", "voxel4j-checkpoint");
        h.put("formatVersion", FORMAT_VERSION);
        h.put("libraryVersion", Version.LIBRARY);
        ArrayNode table = h.putArray("tensors");
        long offset = 0;
        Map<String, INDArray> contiguous = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            int size = elementSize(e.getKey(), a.dataType(), file);
            long bytes = Math.multiplyExact(a.length(), (long) size);
            ObjectNode t = table.addObject();
            t.put("name", e.getKey());
            t.put("dtype", a.dataType().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : a.shape()) {
                shape.add(d);
            }
            t.put("offset", offset);
            t.put("bytes", bytes);
            offset += bytes;
            contiguous.put(e.getKey(), a);
        }
        byte[] json = ModuleTypes.mapper().writeValueAsBytes(h);
        AtomicFiles.write(
                file,
                out -> {
                    CRC32 crc = new CRC32();
                    DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
                    d.write(MAGIC);
                    writeIntLe(d, FORMAT_VERSION);
                    writeIntLe(d, json.length);
                    d.write(json);
                    for (INDArray a : contiguous.values()) {
                        writeTensor(d, a);
                    }
                    d.flush();
                    out.write(TRAILER);
                    ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                    bb.putInt((int) crc.getValue());
                    out.write(bb.array());
                });
    }

    /** Reads and verifies a checkpoint. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no such checkpoint file");
        }
        long size = Files.size(file);
        long minimal = MAGIC.length + 8L + TRAILER.length + 4L;
        if (size < minimal) {
            throw new CheckpointException(
                    file, "truncated: " + size + " bytes, a checkpoint has at least " + minimal);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, MAGIC.length + 8, file);
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(
                        file, "not a voxel4j checkpoint (wrong magic bytes at offset 0)");
            }
            int version = head.getInt();
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(
                        file,
                        "checkpoint format version "
                                + Integer.toUnsignedString(version)
                                + ", this library reads version "
                                + FORMAT_VERSION);
            }
            long headerLen = Integer.toUnsignedLong(head.getInt());
            long dataStart = MAGIC.length + 8 + headerLen;
            if (headerLen > MAX_HEADER || dataStart + TRAILER.length + 4 > size) {
                throw new CheckpointException(
                        file,
                        "header length "
                                + headerLen
                                + " does not fit in a file of "
                                + size
                                + " bytes (truncated or corrupt)");
            }
            verifyCrc(ch, size, file);
            ByteBuffer hb = read(ch, MAGIC.length + 8, (int) headerLen, file);
            ObjectNode header;
            try {
                JsonNode n = ModuleTypes.mapper().readTree(hb.array());
                if (!(n instanceof ObjectNode o)) {
                    throw new CheckpointException(file, "header is not a JSON object");
                }
                header = o;
            } catch (IOException e) {
                if (e instanceof CheckpointException ce) {
                    throw ce;
                }
                throw new CheckpointException(file, "unreadable header: " + e.getMessage(), e);
            }
            checkLibraryVersion(file, header);
            long dataLen = size - TRAILER.length - 4 - dataStart;
            Map<String, INDArray> tensors = readTensors(ch, file, header, dataStart, dataLen);
            return new Contents(file, header, tensors);
        }
    }

    private static void checkLibraryVersion(Path file, ObjectNode header)
            throws CheckpointException {
        String written = header.path("libraryVersion").asText("unknown");
        if (!Version.series(written).equals(Version.series(Version.LIBRARY))) {
            throw new CheckpointException(
                    file,
                    "written by voxel4j "
                            + written
                            + ", this is voxel4j "
                            + Version.LIBRARY
                            + " (checkpoints load only within the same major.minor series)");
        }
    }

    private static Map<String, INDArray> readTensors(
            FileChannel ch, Path file, ObjectNode header, long dataStart, long dataLen)
            throws IOException {
        JsonNode table = header.get("tensors");
        if (table == null || !table.isArray()) {
            throw new CheckpointException(file, "header has no 'tensors' table");
        }
        long expectedOffset = 0;
        Map<String, INDArray> out = new LinkedHashMap<>();
        // First pass: validate every entry before allocating anything.
        record Entry(String name, DataType dtype, long[] shape, long offset, long bytes) {}
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        for (JsonNode t : table) {
            String name = t.path("name").asText(null);
            if (name == null || name.isEmpty()) {
                throw new CheckpointException(file, "a tensor entry has no name");
            }
            DataType dtype;
            try {
                dtype = DataType.valueOf(t.path("dtype").asText(""));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(
                        file, "tensor '" + name + "' has unknown dtype '" + t.path("dtype") + "'");
            }
            int esize = elementSize(name, dtype, file);
            JsonNode sh = t.get("shape");
            if (sh == null || !sh.isArray() || sh.size() > 32) {
                throw new CheckpointException(file, "tensor '" + name + "' has no valid shape");
            }
            long[] shape = new long[sh.size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sh.get(i).asLong(-1);
                if (shape[i] < 0 || shape[i] > dataLen) {
                    throw new CheckpointException(
                            file, "tensor '" + name + "' has impossible shape " + sh);
                }
                n = Math.multiplyExact(n, Math.max(shape[i], 1));
                if (n > dataLen) {
                    throw new CheckpointException(
                            file, "tensor '" + name + "' shape " + sh + " exceeds the file's data");
                }
            }
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
                n = 0;
            }
            long offset = t.path("offset").asLong(-1);
            long bytes = t.path("bytes").asLong(-1);
            if (bytes != n * esize || offset != expectedOffset || offset + bytes > dataLen) {
                throw new CheckpointException(
                        file,
                        "tensor '"
                                + name
                                + "' declares offset "
                                + offset
                                + " and "
                                + bytes
                                + " bytes, expected offset "
                                + expectedOffset
                                + " and "
                                + (n * esize)
                                + " bytes within "
                                + dataLen
                                + " data bytes");
            }
            if (out.containsKey(name) || entries.stream().anyMatch(e -> e.name().equals(name))) {
                throw new CheckpointException(file, "tensor '" + name + "' appears twice");
            }
            expectedOffset += bytes;
            entries.add(new Entry(name, dtype, shape, offset, bytes));
        }
        if (expectedOffset != dataLen) {
            throw new CheckpointException(
                    file,
                    "tensor table covers "
                            + expectedOffset
                            + " data bytes but the file holds "
                            + dataLen);
        }
        for (Entry e : entries) {
            ByteBuffer b = read(ch, dataStart + e.offset(), Math.toIntExact(e.bytes()), file);
            out.put(e.name(), toArray(b, e.dtype(), e.shape()));
        }
        return out;
    }

    private static void verifyCrc(FileChannel ch, long size, Path file) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        long end = size - TRAILER.length - 4;
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            int r = ch.read(buf, pos);
            if (r <= 0) {
                throw new CheckpointException(file, "truncated while checking");
            }
            buf.flip();
            crc.update(buf);
            pos += r;
        }
        ByteBuffer tr = read(ch, end, TRAILER.length + 4, file);
        byte[] t = new byte[TRAILER.length];
        tr.get(t);
        int stored = tr.getInt();
        if (!Arrays.equals(t, TRAILER)) {
            throw new CheckpointException(
                    file, "trailer missing: the file is truncated or was not fully written");
        }
        if (stored != (int) crc.getValue()) {
            throw new CheckpointException(
                    file,
                    "checksum mismatch (stored "
                            + Integer.toHexString(stored)
                            + ", computed "
                            + Long.toHexString(crc.getValue())
                            + "): the file is corrupt");
        }
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len, Path file)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new CheckpointException(file, "truncated at byte " + (pos + b.position()));
            }
        }
        b.flip();
        return b;
    }

    private static int elementSize(String name, DataType t, Path file) throws IOException {
        return switch (t) {
            case DOUBLE, LONG -> 8;
            case FLOAT, INT -> 4;
            case SHORT -> 2;
            case BYTE, UBYTE, BOOL -> 1;
            default ->
                    throw new CheckpointException(
                            file, "tensor '" + name + "' has unsupported dtype " + t);
        };
    }

    private static void writeTensor(OutputStream out, INDArray a) throws IOException {
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        ByteBuffer bb;
        switch (c.dataType()) {
            case DOUBLE -> {
                double[] v = c.data().asDouble();
                bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                bb.asDoubleBuffer().put(v);
            }
            case FLOAT -> {
                float[] v = c.data().asFloat();
                bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(v);
            }
            case LONG -> {
                long[] v = c.data().asLong();
                bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                bb.asLongBuffer().put(v);
            }
            case INT -> {
                int[] v = c.data().asInt();
                bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asIntBuffer().put(v);
            }
            case SHORT -> {
                int[] v = c.data().asInt();
                bb = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int x : v) {
                    bb.putShort((short) x);
                }
            }
            case BYTE, UBYTE, BOOL -> {
                int[] v = c.data().asInt();
                bb = ByteBuffer.allocate(v.length);
                for (int x : v) {
                    bb.put((byte) x);
                }
            }
            default -> throw new IOException("unsupported dtype " + c.dataType());
        }
        out.write(bb.array());
    }

    private static INDArray toArray(ByteBuffer b, DataType t, long[] shape) {
        int n = b.remaining();
        INDArray flat =
                switch (t) {
                    case DOUBLE -> {
                        double[] v = new double[n / 8];
                        b.asDoubleBuffer().get(v);
                        yield Nd4j.createFromArray(v);
                    }
                    case FLOAT -> {
                        float[] v = new float[n / 4];
                        b.asFloatBuffer().get(v);
                        yield Nd4j.createFromArray(v);
                    }
                    case LONG -> {
                        long[] v = new long[n / 8];
                        b.asLongBuffer().get(v);
                        yield Nd4j.createFromArray(v);
                    }
                    case INT -> {
                        int[] v = new int[n / 4];
                        b.asIntBuffer().get(v);
                        yield Nd4j.createFromArray(v);
                    }
                    case SHORT -> {
                        short[] v = new short[n / 2];
                        b.asShortBuffer().get(v);
                        yield Nd4j.createFromArray(v);
                    }
                    case BYTE, UBYTE, BOOL -> {
                        int[] v = new int[n];
                        for (int i = 0; i < n; i++) {
                            v[i] = t == DataType.BYTE ? b.get() : b.get() & 0xff;
                        }
                        yield Nd4j.createFromArray(v).castTo(t);
                    }
                    default -> throw new IllegalStateException("unsupported dtype " + t);
                };
        return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
    }

    private static void writeIntLe(OutputStream out, int v) throws IOException {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
