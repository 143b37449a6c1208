package org.voxel4j.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.voxel4j.nn.io.AtomicFiles;

/** Loss per optimiser step and metrics per epoch, exportable as CSV and as a PNG plot. */
public final class TrainingHistory {

    /** One optimiser step. */
    public record StepRecord(long step, int epoch, double loss, double lr, double gradNorm) {}

    /** One finished epoch: mean training loss and validation metrics (may be empty). */
    public record EpochRecord(int epoch, long step, double meanLoss, Map<String, Double> metrics) {
        public EpochRecord {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    private final List<StepRecord> steps = new ArrayList<>();
    private final List<EpochRecord> epochs = new ArrayList<>();

    void add(StepRecord r) {
        steps.add(r);
    }

    void add(EpochRecord r) {
        epochs.add(r);
    }

    public List<StepRecord> steps() {
        return Collections.unmodifiableList(steps);
    }

    public List<EpochRecord> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Writes {@code step,epoch,loss,lr,grad_norm} per step. */
    public void writeStepsCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("step,epoch,loss,lr,grad_norm\n");
        for (StepRecord r : steps) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%d,%.9g,%.9g,%.9g%n",
                            r.step(),
                            r.epoch(),
                            r.loss(),
                            r.lr(),
                            r.gradNorm()));
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code epoch,step,mean_loss,<metric>...} per epoch. */
    public void writeEpochsCsv(Path file) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        epochs.forEach(e -> names.addAll(e.metrics().keySet()));
        StringBuilder sb = new StringBuilder("epoch,step,mean_loss");
        names.forEach(n -> sb.append(',').append(n));
        sb.append('\n');
        for (EpochRecord e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.9g", e.epoch(), e.step(), e.meanLoss()));
            for (String n : names) {
                Double v = e.metrics().get(n);
                sb.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.9g", v));
            }
            sb.append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Plots loss per step (raw and smoothed) and per-epoch validation metrics as a PNG. */
    public void writeLossPlot(Path file, String title) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title(title)
                        .xAxisTitle("step")
                        .yAxisTitle("loss")
                        .build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        if (!steps.isEmpty()) {
            double[] x = new double[steps.size()];
            double[] y = new double[steps.size()];
            double[] ema = new double[steps.size()];
            double a = Math.min(1.0, 10.0 / steps.size());
            for (int i = 0; i < x.length; i++) {
                x[i] = steps.get(i).step();
                y[i] = steps.get(i).loss();
                ema[i] = i == 0 ? y[i] : (1 - a) * ema[i - 1] + a * y[i];
            }
            chart.addSeries("loss", x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            chart.addSeries("loss (smoothed)", x, ema);
        }
        TreeSet<String> names = new TreeSet<>();
        epochs.forEach(e -> names.addAll(e.metrics().keySet()));
        int axis = 1;
        for (String n : names) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (EpochRecord e : epochs) {
                Double v = e.metrics().get(n);
                if (v != null && Double.isFinite(v)) {
                    xs.add((double) e.step());
                    ys.add(v);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries("val " + n, xs, ys);
                s.setYAxisGroup(axis);
                chart.setYAxisGroupTitle(axis, "validation");
            }
        }
        if (steps.isEmpty() && names.isEmpty()) {
            chart.addSeries("loss", new double[] {0}, new double[] {0});
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, png);
    }

    JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        ArrayNode s = o.putArray("steps");
        for (StepRecord r : steps) {
            ArrayNode row = s.addArray();
            row.add(r.step()).add(r.epoch()).add(r.loss()).add(r.lr()).add(r.gradNorm());
        }
        ArrayNode e = o.putArray("epochs");
        for (EpochRecord r : epochs) {
            ObjectNode row = e.addObject();
            row.put("epoch", r.epoch());
            row.put("step", r.step());
            row.put("meanLoss", r.meanLoss());
            ObjectNode m = row.putObject("metrics");
            r.metrics().forEach(m::put);
        }
        return o;
    }

    static TrainingHistory fromJson(JsonNode o) {
        TrainingHistory h = new TrainingHistory();
        for (JsonNode row : o.path("steps")) {
            h.add(
                    new StepRecord(
                            row.get(0).asLong(),
                            row.get(1).asInt(),
                            row.get(2).asDouble(),
                            row.get(3).asDouble(),
                            row.get(4).asDouble()));
        }
        for (JsonNode row : o.path("epochs")) {
            Map<String, Double> m = new LinkedHashMap<>();
            row.path("metrics")
                    .fields()
                    .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
            h.add(
                    new EpochRecord(
                            row.path("epoch").asInt(),
                            row.path("step").asLong(),
                            row.path("meanLoss").asDouble(),
                            m));
        }
        return h;
    }
}
