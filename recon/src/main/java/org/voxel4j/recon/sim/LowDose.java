package org.voxel4j.recon.sim;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Gamma;

/**
 * Low-dose simulation in the transmission domain: for a line integral p the detector counts are
 * {@code N ~ Poisson(I0 · e^{−p}) + Normal(0, σ_e²)} (quantum noise plus electronic noise, the
 * model of e.g. L. Yu et al., "Development and validation of a practical lower-dose-simulation
 * tool", Med. Phys. 39(3), 2012), and the noisy line integral is {@code −ln(max(N, floor) / I0)}.
 * The floor (default 1 count) keeps photon starvation finite. Deterministic for a given seed
 * (Well19937c, values drawn in array order). Poisson variates come from the samplers NumPy uses:
 * multiplication of uniforms for λ &lt; 10, and W. Hörmann's transformed rejection with squeeze
 * (PTRS, "The transformed rejection method for generating Poisson random variables", Insurance:
 * Mathematics and Economics 12, 1993) above.
 */
public final class LowDose {
    private LowDose() {}

    /**
     * Noisy line integrals for {@code lineIntegrals} (any shape, row-major).
     *
     * @param incidentPhotons I0 per detector element (> 0), e.g. 1e5 for normal dose, 1e4 low
     * @param electronicSigma standard deviation of the electronic noise in counts (≥ 0)
     * @param floor smallest count kept before the log (> 0)
     * @param seed RNG seed
     */
    public static double[] simulate(
            double[] lineIntegrals,
            double incidentPhotons,
            double electronicSigma,
            double floor,
            long seed) {
        if (!(incidentPhotons > 0) || Double.isInfinite(incidentPhotons)) {
            throw new IllegalArgumentException(
                    "incident photons I0 must be positive, got " + incidentPhotons);
        }
        if (!(electronicSigma >= 0)) {
            throw new IllegalArgumentException(
                    "electronic noise sigma must be >= 0, got " + electronicSigma);
        }
        if (!(floor > 0)) {
            throw new IllegalArgumentException("count floor must be positive, got " + floor);
        }
        RandomGenerator rng = new Well19937c(seed);
        double[] out = new double[lineIntegrals.length];
        for (int i = 0; i < out.length; i++) {
            double p = lineIntegrals[i];
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException("line integral " + i + " is not finite: " + p);
            }
            double mean = incidentPhotons * Math.exp(-p);
            double counts = mean > 0 ? poisson(rng, mean) : 0;
            if (electronicSigma > 0) {
                counts += electronicSigma * rng.nextGaussian();
            }
            out[i] = -Math.log(Math.max(counts, floor) / incidentPhotons);
        }
        return out;
    }

    /** {@link #simulate} with a floor of 1 count. */
    public static double[] simulate(
            double[] lineIntegrals, double incidentPhotons, double electronicSigma, long seed) {
        return simulate(lineIntegrals, incidentPhotons, electronicSigma, 1.0, seed);
    }

    /** One Poisson(λ) variate. */
    static long poisson(RandomGenerator rng, double lambda) {
        if (lambda < 10) {
            double limit = Math.exp(-lambda);
            long k = 0;
            double prod = rng.nextDouble();
            while (prod > limit) {
                k++;
                prod *= rng.nextDouble();
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - Gamma.logGamma(k + 1.0)) {
                return k;
            }
        }
    }
}
