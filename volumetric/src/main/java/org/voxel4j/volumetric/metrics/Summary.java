package org.voxel4j.volumetric.metrics;

import java.util.Arrays;

/**
 * Descriptive statistics of one metric over cases. {@code mean}, {@code median}, {@code std},
 * {@code min} and {@code max} use every value with IEEE arithmetic (so one infinite HD95 makes the
 * mean infinite and the standard deviation NaN, as numpy would); {@code meanFinite} and {@code
 * stdFinite} use the finite values only, and {@code nonFinite} says how many were left out. The
 * standard deviations are population ones (numpy's default, ddof = 0); the median is numpy's.
 */
public record Summary(
        int n,
        int nonFinite,
        double mean,
        double median,
        double std,
        double meanFinite,
        double stdFinite,
        double min,
        double max) {

    /** Summary of {@code values} (at least one). */
    public static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("summary of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        double mean = mean(values);
        double meanFinite = finite.length == 0 ? Double.NaN : mean(finite);
        return new Summary(
                values.length,
                values.length - finite.length,
                mean,
                median(sorted),
                std(values, mean),
                meanFinite,
                finite.length == 0 ? Double.NaN : std(finite, meanFinite),
                sorted[0],
                sorted[sorted.length - 1]);
    }

    /** numpy.median: the middle value, or the mean of the two middle values. */
    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            double dx = x - mean;
            s += dx * dx;
        }
        return Math.sqrt(s / v.length);
    }
}
