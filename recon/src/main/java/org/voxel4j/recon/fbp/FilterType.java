package org.voxel4j.recon.fbp;

import java.util.Locale;

/**
 * Apodisation windows of the FBP ramp filter, as functions of the normalised frequency ν ∈ [0, 1]
 * (1 = Nyquist) and the cutoff c (the window is stretched so that it reaches its end at ν = c, and
 * the response is zero above c), following ODL's {@code fbp_filter_op}. With c = 1, {@link
 * #RAM_LAK}, {@link #SHEPP_LOGAN} and {@link #COSINE} equal scikit-image's {@code iradon} filters
 * {@code ramp}, {@code shepp-logan} and {@code cosine} exactly; its {@code hamming} and {@code
 * hann} sample {@code np.hamming(P)}/{@code np.hanning(P)}, whose period is P − 1 instead of P, a
 * relative difference of order 1/P.
 */
public enum FilterType {
    /** Plain ramp |ν| (Ramachandran–Lakshminarayanan). */
    RAM_LAK("ram-lak"),
    /** Ramp × sinc(ν / 2c). */
    SHEPP_LOGAN("shepp-logan"),
    /** Ramp × cos(πν / 2c). */
    COSINE("cosine"),
    /** Ramp × (0.54 + 0.46 cos(πν / c)). */
    HAMMING("hamming"),
    /** Ramp × cos²(πν / 2c). */
    HANN("hann");

    private final String cliName;

    FilterType(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line ({@code ram-lak}, {@code shepp-logan}, ...). */
    public String cliName() {
        return cliName;
    }

    /** Window value at normalised frequency ν for cutoff c (1 for ν = 0). */
    public double window(double nu, double cutoff) {
        if (nu > cutoff) {
            return 0;
        }
        double x = nu / cutoff;
        switch (this) {
            case RAM_LAK:
                return 1;
            case SHEPP_LOGAN:
                {
                    double a = 0.5 * Math.PI * x;
                    return a == 0 ? 1 : Math.sin(a) / a;
                }
            case COSINE:
                return Math.cos(0.5 * Math.PI * x);
            case HAMMING:
                return 0.54 + 0.46 * Math.cos(Math.PI * x);
            case HANN:
                {
                    double c = Math.cos(0.5 * Math.PI * x);
                    return c * c;
                }
            default:
                throw new AssertionError(this);
        }
    }

    /** Parses a CLI name ({@code ram-lak} or {@code ramp}, {@code shepp-logan}, ...). */
    public static FilterType parse(String name) {
        if (name != null) {
            String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
            if (n.equals("ramp") || n.equals("ramlak")) {
                return RAM_LAK;
            }
            for (FilterType t : values()) {
                if (t.cliName.equals(n)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown FBP filter '"
                        + name
                        + "', expected ram-lak, shepp-logan, cosine, hamming or hann");
    }
}
