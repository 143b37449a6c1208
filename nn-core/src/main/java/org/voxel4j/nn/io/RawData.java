package org.voxel4j.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves raw voxel bytes between streams and ND4J buffers, swapping byte order on the way. */
final class RawData {
    /** One ND4J buffer is addressed through a single {@link ByteBuffer}, so 2 GiB is the cap. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private static final int CHUNK = 1 << 20;

    /** Deflate cannot expand data by more than about 1032:1 (RFC 1951 block limits). */
    static final long MAX_DEFLATE_RATIO = 1032;

    /** The types NIfTI and MetaImage store: 8- to 64-bit integers, float32 and float64. */
    static final Set<ElementType> INTEGERS_AND_FLOATS =
            Collections.unmodifiableSet(
                    EnumSet.of(
                            ElementType.UINT8,
                            ElementType.INT8,
                            ElementType.INT16,
                            ElementType.UINT16,
                            ElementType.INT32,
                            ElementType.UINT32,
                            ElementType.INT64,
                            ElementType.UINT64,
                            ElementType.FLOAT32,
                            ElementType.FLOAT64));

    private RawData() {}

    /**
     * The number of bytes {@code shape} elements of {@code elementBytes} each take, checked for
     * overflow and for the per-volume cap before anything is allocated.
     */
    static long byteCount(Path file, String field, long[] shape, int elementBytes)
            throws VolumeFormatException {
        long n = elementBytes;
        for (long d : shape) {
            if (d < 1) {
                throw VolumeFormatException.field(
                        file, field, Arrays.toString(shape), "every dimension >= 1");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
            if (n > MAX_BYTES) {
                throw VolumeFormatException.field(
                        file,
                        field,
                        Arrays.toString(shape),
                        "at most "
                                + MAX_BYTES
                                + " bytes of voxel data ("
                                + elementBytes
                                + " bytes per voxel)");
            }
        }
        return n;
    }

    /**
     * Reads exactly {@code product(shape) * type.bytes} bytes from {@code in} into a new C-order
     * array of {@code shape} whose last axis is the one stored fastest.
     */
    static INDArray read(InputStream in, ElementType type, long[] shape, ByteOrder order, Path file)
            throws IOException {
        long total = byteCount(file, "shape", shape, type.bytes);
        INDArray arr = Nd4j.createUninitialized(type.nd4j, shape, 'c');
        ByteBuffer nio = arr.data().asNio().order(ByteOrder.nativeOrder());
        boolean swap = type.bytes > 1 && order != ByteOrder.nativeOrder();
        byte[] chunk = new byte[(int) Math.min(CHUNK, total)];
        long done = 0;
        while (done < total) {
            int want = (int) Math.min(chunk.length, total - done);
            int got = readFully(in, chunk, want, file, total, done);
            if (got < want) {
                throw new VolumeFormatException(
                        file,
                        "truncated voxel data: expected "
                                + total
                                + " bytes ("
                                + Arrays.toString(shape)
                                + " x "
                                + type.numpyName
                                + "), file ends after "
                                + (done + got));
            }
            if (swap) {
                swapInPlace(chunk, want, type.bytes);
            }
            nio.put((int) done, chunk, 0, want);
            done += want;
        }
        if (type == ElementType.UINT64 && arr.minNumber().longValue() < 0) {
            throw new VolumeFormatException(
                    file,
                    "uint64 voxel value above 2^63-1 cannot be represented (loaded as int64);"
                            + " expected values below 9223372036854775808");
        }
        if (type == ElementType.BOOL) {
            for (int i = 0; i < total; i++) {
                byte b = nio.get(i);
                if (b != 0 && b != 1) {
                    throw new VolumeFormatException(
                            file, "bool element " + i + " = " + b + ", expected 0 or 1");
                }
            }
        }
        return arr;
    }

    private static int readFully(
            InputStream in, byte[] buf, int len, Path file, long total, long done)
            throws IOException {
        int off = 0;
        try {
            while (off < len) {
                int r = in.read(buf, off, len - off);
                if (r < 0) {
                    break;
                }
                off += r;
            }
        } catch (EOFException e) {
            throw new VolumeFormatException(
                    file,
                    "truncated compressed stream: expected "
                            + total
                            + " bytes of voxel data, stream ends after about "
                            + (done + off),
                    e);
        } catch (ZipException e) {
            throw new VolumeFormatException(
                    file, "corrupt compressed data (" + e.getMessage() + ")", e);
        }
        return off;
    }

    static void swapInPlace(byte[] b, int len, int width) {
        for (int i = 0; i + width <= len; i += width) {
            for (int a = i, z = i + width - 1; a < z; a++, z--) {
                byte t = b[a];
                b[a] = b[z];
                b[z] = t;
            }
        }
    }

    /** A C-order, dense, offset-free copy of {@code arr} (or {@code arr} itself if it is one). */
    static INDArray dense(INDArray arr) {
        boolean ok =
                arr.ordering() == 'c'
                        && arr.offset() == 0
                        && arr.data().length() == arr.length()
                        && (arr.length() <= 1 || arr.elementWiseStride() == 1);
        return ok ? arr : arr.dup('c');
    }

    /** Writes the elements of {@code arr} in C order with {@code order} byte order. */
    static void write(OutputStream out, INDArray arr, ByteOrder order) throws IOException {
        INDArray c = dense(arr);
        int width = c.dataType().width();
        long total = c.length() * width;
        if (total > MAX_BYTES) {
            throw new IOException("volume of " + total + " bytes exceeds the writer's cap");
        }
        ByteBuffer nio = c.data().asNio().order(ByteOrder.nativeOrder());
        boolean swap = width > 1 && order != ByteOrder.nativeOrder();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(total, 1))];
        long done = 0;
        while (done < total) {
            int n = (int) Math.min(chunk.length, total - done);
            nio.get((int) done, chunk, 0, n);
            if (swap) {
                swapInPlace(chunk, n, width);
            }
            out.write(chunk, 0, n);
            done += n;
        }
    }

    /**
     * {@code raw * slope + inter}, computed in double (as nibabel's {@code get_fdata} does) and
     * stored as {@link ElementType#scaledType()}.
     */
    static INDArray scale(INDArray raw, ElementType type, double slope, double inter) {
        return scaleBlocks(raw, type, new double[] {slope}, new double[] {inter}, raw.length());
    }

    /**
     * Like {@link #scale}, with its own slope and intercept for each consecutive block of {@code
     * block} elements (e.g. per DICOM slice). One pass over the raw buffer straight into the
     * output: no temporary arrays, since touching fresh memory is the dominant cost here.
     */
    static INDArray scaleBlocks(
            INDArray raw, ElementType type, double[] slope, double[] inter, long block) {
        DataType target = type.scaledType();
        INDArray out = Nd4j.createUninitialized(target, raw.shape(), 'c');
        ByteBuffer src = dense(raw).data().asNio().order(ByteOrder.nativeOrder());
        ByteBuffer dstBytes = out.data().asNio().order(ByteOrder.nativeOrder());
        boolean dbl = target == DataType.DOUBLE;
        DoubleBuffer dd = dbl ? dstBytes.asDoubleBuffer() : null;
        FloatBuffer fd = dbl ? null : dstBytes.asFloatBuffer();
        int n = (int) raw.length();
        for (int b = 0; b < slope.length; b++) {
            int from = (int) Math.min(n, b * block);
            int to = (int) Math.min(n, from + block);
            double m = slope[b];
            double c = inter[b];
            for (int i = from; i < to; i++) {
                double v =
                        switch (type) {
                            case BOOL, UINT8 -> src.get(i) & 0xff;
                            case INT8 -> src.get(i);
                            case INT16 -> src.getShort(2 * i);
                            case UINT16 -> src.getShort(2 * i) & 0xffff;
                            case INT32 -> src.getInt(4 * i);
                            case UINT32 -> src.getInt(4 * i) & 0xffffffffL;
                            case INT64, UINT64 -> src.getLong(8 * i);
                            case FLOAT16 -> halfToFloat(src.getShort(2 * i));
                            case FLOAT32 -> src.getFloat(4 * i);
                            case FLOAT64 -> src.getDouble(8 * i);
                        };
                double r = c == 0 ? v * m : v * m + c; // nibabel adds only a non-zero intercept
                if (dbl) {
                    dd.put(i, r);
                } else {
                    fd.put(i, (float) r);
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 lacks {@code Float.float16ToFloat}). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float f = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * The array to write for a format that stores only {@code supported} types: BOOL becomes UINT8,
     * HALF and BFLOAT16 become FLOAT where the format lacks them.
     */
    static INDArray convertForWriting(
            INDArray data, java.util.Set<ElementType> supported, Path file, String format)
            throws VolumeFormatException {
        DataType dt = data.dataType();
        ElementType t = ElementType.forDataType(dt);
        if (t != null && supported.contains(t)) {
            return data;
        }
        if ((dt == DataType.BOOL) && supported.contains(ElementType.UINT8)) {
            return data.castTo(DataType.UINT8);
        }
        if ((dt == DataType.HALF || dt == DataType.BFLOAT16)
                && supported.contains(ElementType.FLOAT32)) {
            return data.castTo(DataType.FLOAT);
        }
        throw VolumeFormatException.field(
                file, "data type", dt, "one of the types " + format + " stores: " + supported);
    }
}
