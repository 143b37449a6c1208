package org.voxel4j.nn.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct access to the elements of a dense C-order ND4J array from Java, with the few loop shapes
 * the kernels need written out once per element type (so that each loop is monomorphic and compiles
 * to a tight machine loop). Sums accumulate in double with four independent partial sums.
 */
abstract sealed class Buf permits Buf.F32, Buf.F64 {

    /** Number of elements. */
    final int n;

    private Buf(int n) {
        this.n = n;
    }

    /** Whether {@code a} is laid out densely in C order from its buffer's first element. */
    static boolean dense(INDArray a) {
        if (a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        // C-order strides; the stride of a length-1 axis does not matter.
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** {@code a} itself when dense, else a dense copy (for reading). */
    static INDArray denseCopy(INDArray a) {
        return dense(a) ? a : a.dup('c');
    }

    /** A view of a dense float or double array; anything else is rejected. */
    static Buf of(INDArray a) {
        if (!dense(a)) {
            throw new IllegalArgumentException(
                    "engine kernels need dense C-order arrays, got shape "
                            + java.util.Arrays.toString(a.shape())
                            + " strides "
                            + java.util.Arrays.toString(a.stride())
                            + " offset "
                            + a.offset());
        }
        if (a.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "engine kernels support up to 2^31 elements per array, got " + a.length());
        }
        DataType t = a.dataType();
        if (t == DataType.FLOAT) {
            return new F32(a.data().asNioFloat(), (int) a.length());
        }
        if (t == DataType.DOUBLE) {
            return new F64(a.data().asNioDouble(), (int) a.length());
        }
        throw new IllegalArgumentException(
                "engine kernels support FLOAT and DOUBLE arrays, got " + t);
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** Σ x[i], i in [from, from + len). */
    abstract double sum(int from, int len);

    /** Elements per block of {@link #stats}: small enough to stay in the L1 cache. */
    static final int STATS_BLOCK = 2048;

    /**
     * Mean and sum of squared deviations {@code M2 = Σ (x − mean)²} of {@code x[from, from + len)}
     * in one read from memory: each block is summed, then re-read from cache for its own squared
     * deviations, and blocks are merged with Chan, Golub &amp; LeVeque's pairwise update {@code M2
     * = M2a + M2b + (mean_b − mean_a)² · na·nb/(na + nb)} — as accurate as the two-pass formula.
     * Writes {@code acc[0] = mean}, {@code acc[1] = M2}.
     */
    final void stats(int from, int len, double[] acc) {
        double n = 0;
        double mean = 0;
        double m2 = 0;
        int end = from + len;
        for (int b = from; b < end; b += STATS_BLOCK) {
            int bl = Math.min(STATS_BLOCK, end - b);
            double bm = sum(b, bl) / bl;
            double bm2 = sumSqDev(b, bl, bm);
            double tot = n + bl;
            double d = bm - mean;
            mean += d * bl / tot;
            m2 += bm2 + d * d * n * bl / tot;
            n = tot;
        }
        acc[0] = mean;
        acc[1] = m2;
    }

    /** Σ (x[i] − mean)². */
    abstract double sumSqDev(int from, int len, double mean);

    /** out[i] = (x[i] − mean) · a + b. */
    abstract void scaleShiftTo(Buf out, int from, int len, double mean, double a, double b);

    /** {Σ dy[i], Σ dy[i] · (x[i] − mean)} into {@code acc[0]}, {@code acc[1]}. */
    abstract void gradSums(Buf dy, int from, int len, double mean, double[] acc);

    /** out[i] = A · dy[i] + B · (x[i] − mean) + C. */
    abstract void combineTo(
            Buf out, Buf dy, int from, int len, double a, double b, double mean, double c);

    /**
     * out[i] = act((x[i] − mean) · a + b) with act the leaky ReLU of the given slope (the pre-
     * activation is computed exactly as in {@link #scaleShiftTo}, so that the backward variants
     * below see the same signs).
     */
    abstract void scaleShiftActTo(
            Buf out, int from, int len, double mean, double a, double b, double slope);

    /**
     * {@link #gradSums} of {@code g = dy · act'(pre)}, {@code pre = (x − mean) · a + b} and {@code
     * act'(pre) = pre > 0 ? 1 : slope}.
     */
    abstract void gradSumsAct(
            Buf dy, int from, int len, double mean, double a, double b, double slope, double[] acc);

    /** {@link #combineTo} with {@code dy} replaced by {@code g} as in {@link #gradSumsAct}. */
    abstract void combineActTo(
            Buf out,
            Buf dy,
            int from,
            int len,
            double ca,
            double cb,
            double mean,
            double cc,
            double a,
            double b,
            double slope);

    /** out[to + i] = x[from + i] for i in [0, len) (a bulk copy). */
    abstract void copyTo(Buf out, int from, int to, int len);

    /** x[i] = value for i in [from, from + len). */
    abstract void fill(int from, int len, double value);

    /** out[i] = x[i] if x[i] > 0 else slope · x[i]. */
    abstract void leakyReluTo(Buf out, int from, int len, double slope);

    /** out[i] = dy[i] if x[i] > 0 else slope · dy[i]. */
    abstract void leakyReluBackTo(Buf out, Buf dy, int from, int len, double slope);

    static final class F32 extends Buf {
        final FloatBuffer b;

        F32(FloatBuffer b, int n) {
            super(n);
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void set(int i, double v) {
            b.put(i, (float) v);
        }

        @Override
        void copyTo(Buf out, int from, int to, int len) {
            ((F32) out).b.put(to, b, from, len);
        }

        @Override
        void fill(int from, int len, double value) {
            float v = (float) value;
            int end = from + len;
            for (int i = from; i < end; i++) {
                b.put(i, v);
            }
        }

        @Override
        void leakyReluTo(Buf out, int from, int len, double slope) {
            FloatBuffer x = b;
            FloatBuffer y = ((F32) out).b;
            int one = Float.floatToRawIntBits(1f);
            int s = Float.floatToRawIntBits((float) slope);
            int end = from + len;
            for (int i = from; i < end; i++) {
                float v = x.get(i);
                y.put(i, v * Float.intBitsToFloat(select(notPositive(v), s, one)));
            }
        }

        @Override
        void leakyReluBackTo(Buf out, Buf dyBuf, int from, int len, double slope) {
            FloatBuffer x = b;
            FloatBuffer dy = ((F32) dyBuf).b;
            FloatBuffer y = ((F32) out).b;
            int one = Float.floatToRawIntBits(1f);
            int s = Float.floatToRawIntBits((float) slope);
            int end = from + len;
            for (int i = from; i < end; i++) {
                y.put(i, dy.get(i) * Float.intBitsToFloat(select(notPositive(x.get(i)), s, one)));
            }
        }

        @Override
        void scaleShiftActTo(
                Buf out, int from, int len, double mean, double a, double b0, double slope) {
            FloatBuffer x = b;
            FloatBuffer y = ((F32) out).b;
            float fm = (float) mean;
            float fa = (float) a;
            float fb = (float) b0;
            int one = Float.floatToRawIntBits(1f);
            int s = Float.floatToRawIntBits((float) slope);
            int end = from + len;
            for (int i = from; i < end; i++) {
                float v = (x.get(i) - fm) * fa + fb;
                y.put(i, v * Float.intBitsToFloat(select(notPositive(v), s, one)));
            }
        }

        @Override
        void gradSumsAct(
                Buf dyBuf,
                int from,
                int len,
                double mean,
                double a,
                double b0,
                double slope,
                double[] acc) {
            // Products in float (as PyTorch's kernels), sums in double.
            FloatBuffer x = b;
            FloatBuffer dy = ((F32) dyBuf).b;
            float fm = (float) mean;
            float fa = (float) a;
            float fb = (float) b0;
            int one = Float.floatToRawIntBits(1f);
            int sl = Float.floatToRawIntBits((float) slope);
            double s0 = 0, s1 = 0, t0 = 0, t1 = 0;
            int i = from;
            int end = from + len;
            for (; i + 1 < end; i += 2) {
                float c0 = x.get(i) - fm;
                float c1 = x.get(i + 1) - fm;
                float g0 =
                        dy.get(i)
                                * Float.intBitsToFloat(select(notPositive(c0 * fa + fb), sl, one));
                float g1 =
                        dy.get(i + 1)
                                * Float.intBitsToFloat(select(notPositive(c1 * fa + fb), sl, one));
                s0 += g0;
                s1 += g1;
                t0 += g0 * c0;
                t1 += g1 * c1;
            }
            for (; i < end; i++) {
                float c = x.get(i) - fm;
                float g =
                        dy.get(i) * Float.intBitsToFloat(select(notPositive(c * fa + fb), sl, one));
                s0 += g;
                t0 += g * c;
            }
            acc[0] = s0 + s1;
            acc[1] = t0 + t1;
        }

        @Override
        void combineActTo(
                Buf out,
                Buf dyBuf,
                int from,
                int len,
                double ca,
                double cb,
                double mean,
                double cc,
                double a,
                double b0,
                double slope) {
            FloatBuffer x = b;
            FloatBuffer dy = ((F32) dyBuf).b;
            FloatBuffer y = ((F32) out).b;
            float fca = (float) ca;
            float fcb = (float) cb;
            float fm = (float) mean;
            float fcc = (float) cc;
            float fa = (float) a;
            float fb = (float) b0;
            int one = Float.floatToRawIntBits(1f);
            int sl = Float.floatToRawIntBits((float) slope);
            int end = from + len;
            for (int i = from; i < end; i++) {
                float xc = x.get(i) - fm;
                float pre = xc * fa + fb;
                float g = dy.get(i) * Float.intBitsToFloat(select(notPositive(pre), sl, one));
                y.put(i, fca * g + fcb * xc + fcc);
            }
        }

        /**
         * All ones if {@code v > 0} is false (zero, negative, NaN with the sign bit set), else
         * zero; branch-free, because a data-dependent branch here mispredicts on half the elements
         * and made the loop 8× slower.
         */
        private static int notPositive(float v) {
            int bits = Float.floatToRawIntBits(v);
            return ((bits - 1) | bits) >> 31;
        }

        private static int select(int mask, int ifSet, int ifClear) {
            return (mask & ifSet) | (~mask & ifClear);
        }

        @Override
        double sum(int from, int len) {
            // Eight independent accumulators: the loop is bound by the latency of dependent
            // additions otherwise (4 accumulators: 3.7 ms, 8: 1.9 ms for 4M floats).
            FloatBuffer x = b;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int i = from;
            int end = from + len;
            for (; i + 7 < end; i += 8) {
                s0 += x.get(i);
                s1 += x.get(i + 1);
                s2 += x.get(i + 2);
                s3 += x.get(i + 3);
                s4 += x.get(i + 4);
                s5 += x.get(i + 5);
                s6 += x.get(i + 6);
                s7 += x.get(i + 7);
            }
            for (; i < end; i++) {
                s0 += x.get(i);
            }
            return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }

        @Override
        double sumSqDev(int from, int len, double mean) {
            FloatBuffer x = b;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int i = from;
            int end = from + len;
            for (; i + 7 < end; i += 8) {
                double d0 = x.get(i) - mean;
                double d1 = x.get(i + 1) - mean;
                double d2 = x.get(i + 2) - mean;
                double d3 = x.get(i + 3) - mean;
                double d4 = x.get(i + 4) - mean;
                double d5 = x.get(i + 5) - mean;
                double d6 = x.get(i + 6) - mean;
                double d7 = x.get(i + 7) - mean;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
                s4 += d4 * d4;
                s5 += d5 * d5;
                s6 += d6 * d6;
                s7 += d7 * d7;
            }
            for (; i < end; i++) {
                double d = x.get(i) - mean;
                s0 += d * d;
            }
            return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }

        @Override
        void scaleShiftTo(Buf out, int from, int len, double mean, double a, double b0) {
            FloatBuffer x = b;
            FloatBuffer y = ((F32) out).b;
            float fm = (float) mean;
            float fa = (float) a;
            float fb = (float) b0;
            int end = from + len;
            for (int i = from; i < end; i++) {
                y.put(i, (x.get(i) - fm) * fa + fb);
            }
        }

        @Override
        void gradSums(Buf dyBuf, int from, int len, double mean, double[] acc) {
            // Two accumulators per sum measured fastest here (4.4 ms for 4M floats; 4+4: 5.1).
            FloatBuffer x = b;
            FloatBuffer dy = ((F32) dyBuf).b;
            double s0 = 0, s1 = 0, t0 = 0, t1 = 0;
            int i = from;
            int end = from + len;
            for (; i + 1 < end; i += 2) {
                double g0 = dy.get(i);
                double g1 = dy.get(i + 1);
                s0 += g0;
                s1 += g1;
                t0 += g0 * (x.get(i) - mean);
                t1 += g1 * (x.get(i + 1) - mean);
            }
            for (; i < end; i++) {
                double g = dy.get(i);
                s0 += g;
                t0 += g * (x.get(i) - mean);
            }
            acc[0] = s0 + s1;
            acc[1] = t0 + t1;
        }

        @Override
        void combineTo(
                Buf out, Buf dyBuf, int from, int len, double a, double b0, double mean, double c) {
            FloatBuffer x = b;
            FloatBuffer dy = ((F32) dyBuf).b;
            FloatBuffer y = ((F32) out).b;
            float fa = (float) a;
            float fb = (float) b0;
            float fm = (float) mean;
            float fc = (float) c;
            int end = from + len;
            for (int i = from; i < end; i++) {
                y.put(i, fa * dy.get(i) + fb * (x.get(i) - fm) + fc);
            }
        }
    }

    static final class F64 extends Buf {
        @Override
        void scaleShiftActTo(
                Buf out, int from, int len, double mean, double a, double b0, double slope) {
            DoubleBuffer x = b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double v = (x.get(i) - mean) * a + b0;
                y.put(i, v > 0 ? v : v * slope);
            }
        }

        @Override
        void gradSumsAct(
                Buf dyBuf,
                int from,
                int len,
                double mean,
                double a,
                double b0,
                double slope,
                double[] acc) {
            DoubleBuffer x = b;
            DoubleBuffer dy = ((F64) dyBuf).b;
            double s = 0, t = 0;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double xc = x.get(i) - mean;
                double g = dy.get(i) * (xc * a + b0 > 0 ? 1 : slope);
                s += g;
                t += g * xc;
            }
            acc[0] = s;
            acc[1] = t;
        }

        @Override
        void combineActTo(
                Buf out,
                Buf dyBuf,
                int from,
                int len,
                double ca,
                double cb,
                double mean,
                double cc,
                double a,
                double b0,
                double slope) {
            DoubleBuffer x = b;
            DoubleBuffer dy = ((F64) dyBuf).b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double xc = x.get(i) - mean;
                double g = dy.get(i) * (xc * a + b0 > 0 ? 1 : slope);
                y.put(i, ca * g + cb * xc + cc);
            }
        }

        @Override
        void copyTo(Buf out, int from, int to, int len) {
            ((F64) out).b.put(to, b, from, len);
        }

        @Override
        void fill(int from, int len, double value) {
            int end = from + len;
            for (int i = from; i < end; i++) {
                b.put(i, value);
            }
        }

        @Override
        void leakyReluTo(Buf out, int from, int len, double slope) {
            DoubleBuffer x = b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double v = x.get(i);
                y.put(i, v > 0 ? v : v * slope);
            }
        }

        @Override
        void leakyReluBackTo(Buf out, Buf dyBuf, int from, int len, double slope) {
            DoubleBuffer x = b;
            DoubleBuffer dy = ((F64) dyBuf).b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double g = dy.get(i);
                y.put(i, x.get(i) > 0 ? g : g * slope);
            }
        }

        final DoubleBuffer b;

        F64(DoubleBuffer b, int n) {
            super(n);
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void set(int i, double v) {
            b.put(i, v);
        }

        @Override
        double sum(int from, int len) {
            DoubleBuffer x = b;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = from;
            int end = from + len;
            for (; i + 3 < end; i += 4) {
                s0 += x.get(i);
                s1 += x.get(i + 1);
                s2 += x.get(i + 2);
                s3 += x.get(i + 3);
            }
            for (; i < end; i++) {
                s0 += x.get(i);
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        double sumSqDev(int from, int len, double mean) {
            DoubleBuffer x = b;
            double s0 = 0, s1 = 0;
            int i = from;
            int end = from + len;
            for (; i + 1 < end; i += 2) {
                double d0 = x.get(i) - mean;
                double d1 = x.get(i + 1) - mean;
                s0 += d0 * d0;
                s1 += d1 * d1;
            }
            for (; i < end; i++) {
                double d = x.get(i) - mean;
                s0 += d * d;
            }
            return s0 + s1;
        }

        @Override
        void scaleShiftTo(Buf out, int from, int len, double mean, double a, double b0) {
            DoubleBuffer x = b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                y.put(i, (x.get(i) - mean) * a + b0);
            }
        }

        @Override
        void gradSums(Buf dyBuf, int from, int len, double mean, double[] acc) {
            DoubleBuffer x = b;
            DoubleBuffer dy = ((F64) dyBuf).b;
            double s = 0, t = 0;
            int end = from + len;
            for (int i = from; i < end; i++) {
                double g = dy.get(i);
                s += g;
                t += g * (x.get(i) - mean);
            }
            acc[0] = s;
            acc[1] = t;
        }

        @Override
        void combineTo(
                Buf out, Buf dyBuf, int from, int len, double a, double b0, double mean, double c) {
            DoubleBuffer x = b;
            DoubleBuffer dy = ((F64) dyBuf).b;
            DoubleBuffer y = ((F64) out).b;
            int end = from + len;
            for (int i = from; i < end; i++) {
                y.put(i, a * dy.get(i) + b0 * (x.get(i) - mean) + c);
            }
        }
    }
}
