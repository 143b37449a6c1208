package org.voxel4j.nn.io;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The on-disk element types the readers understand, named as NumPy names them, with the ND4J type
 * each is loaded into.
 *
 * <p>ND4J's UINT64 arrays report wrong values through {@code getDouble}/{@code maxNumber} (measured
 * on 1.0.0-M2.1: 2^64-1 reads back as -1.0), so uint64 data is loaded into INT64 and a value above
 * 2^63-1 is rejected by the reader instead of silently wrapping.
 */
enum ElementType {
    BOOL("bool", 1, DataType.BOOL, false, false),
    UINT8("uint8", 1, DataType.UINT8, false, false),
    INT8("int8", 1, DataType.INT8, true, false),
    INT16("int16", 2, DataType.INT16, true, false),
    UINT16("uint16", 2, DataType.UINT16, false, false),
    INT32("int32", 4, DataType.INT32, true, false),
    UINT32("uint32", 4, DataType.UINT32, false, false),
    INT64("int64", 8, DataType.INT64, true, false),
    UINT64("uint64", 8, DataType.INT64, false, false),
    FLOAT16("float16", 2, DataType.HALF, true, true),
    FLOAT32("float32", 4, DataType.FLOAT, true, true),
    FLOAT64("float64", 8, DataType.DOUBLE, true, true);

    final String numpyName;
    final int bytes;
    final DataType nd4j;
    final boolean signed;
    final boolean floating;

    ElementType(String numpyName, int bytes, DataType nd4j, boolean signed, boolean floating) {
        this.numpyName = numpyName;
        this.bytes = bytes;
        this.nd4j = nd4j;
        this.signed = signed;
        this.floating = floating;
    }

    /**
     * The type scaled values (slope/intercept) are computed in: FLOAT, except DOUBLE for 32/64-bit
     * integers and float64, whose values float32 cannot hold exactly.
     */
    DataType scaledType() {
        return switch (this) {
            case INT32, UINT32, INT64, UINT64, FLOAT64 -> DataType.DOUBLE;
            default -> DataType.FLOAT;
        };
    }

    /** The element type an ND4J array of {@code type} is written as, or null if none. */
    static ElementType forDataType(DataType type) {
        // DataType.UINT8/INT8/INT16/INT32/INT64 are aliases of UBYTE/BYTE/SHORT/INT/LONG
        return switch (type) {
            case BOOL -> BOOL;
            case UBYTE -> UINT8;
            case BYTE -> INT8;
            case SHORT -> INT16;
            case UINT16 -> UINT16;
            case INT -> INT32;
            case UINT32 -> UINT32;
            case LONG -> INT64;
            case UINT64 -> UINT64;
            case HALF -> FLOAT16;
            case FLOAT -> FLOAT32;
            case DOUBLE -> FLOAT64;
            default -> null;
        };
    }

    /** The NumPy name of an ND4J type ("int16", "float32", ...), for messages and metadata. */
    static String numpyName(DataType type) {
        ElementType t = forDataType(type);
        return t != null ? t.numpyName : type.name().toLowerCase(Locale.ROOT);
    }
}
