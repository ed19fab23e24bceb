package org.computeops.results.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Line, step and stacked-bar charts as self-contained SVG (no JS, no CDN), with both axes
 * labelled (quantity and unit), ticks, a legend and a caption line: the caption is where every
 * chart states its n, its clock and its tier, so a chart never travels without them.
 * Pure drawing: callers decide what may share one chart (one clock, one tier).
 */
public final class Plots {

    private static final int W = 720, LEFT = 70, RIGHT = 20, TOP = 34, PLOT_H = 240;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private Plots() {
    }

    /** One line of a chart: its points (x, y) in order of x. */
    public record Series(String name, List<double[]> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** A vertical line at x, labelled (a fault, a scale call). */
    public record Marker(double x, String label) {
    }

    /**
     * Lines over a shared x axis. {@code step}: each value holds until the next point (counts over
     * time, CDFs); otherwise straight segments.
     */
    public static String lines(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers,
                               boolean step, String caption) {
        List<double[]> all = new ArrayList<>();
        series.forEach(s -> all.addAll(s.points()));
        if (all.isEmpty()) return empty(title, caption);
        double xMin = all.stream().mapToDouble(p -> p[0]).min().orElse(0);
        double xMax = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
        for (Marker m : markers) {
            xMin = Math.min(xMin, m.x());
            xMax = Math.max(xMax, m.x());
        }
        double yMax = all.stream().mapToDouble(p -> p[1]).max().orElse(1);
        double yMin = Math.min(0, all.stream().mapToDouble(p -> p[1]).min().orElse(0));
        Axis x = Axis.of(xMin, xMax), y = Axis.of(yMin, yMax);
        int plotW = W - LEFT - RIGHT;
        int legendRows = (series.size() + 2) / 3;
        int height = TOP + PLOT_H + 44 + legendRows * 16 + 18;
        StringBuilder svg = open(height, title);
        frame(svg, x, y, plotW, xLabel, yLabel);
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            double px = LEFT + x.pos(m.x()) * plotW;
            // labels one below the other, and left of their line near the right edge, so none covers another
            boolean right = px > LEFT + plotW * 0.7;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"5,3\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%s</text>", px, TOP, px, TOP + PLOT_H,
                    right ? px - 3 : px + 3, TOP + 12 + 14 * i, right ? "end" : "start", SvgCharts.esc(m.label())));
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder path = new StringBuilder();
            double lastY = Double.NaN;
            for (double[] p : s.points()) {
                double px = LEFT + x.pos(p[0]) * plotW, py = TOP + PLOT_H - y.pos(p[1]) * PLOT_H;
                if (path.isEmpty()) path.append(String.format(Locale.ROOT, "M%.1f,%.1f", px, py));
                else if (step) path.append(String.format(Locale.ROOT, " L%.1f,%.1f L%.1f,%.1f", px, lastY, px, py));
                else path.append(String.format(Locale.ROOT, " L%.1f,%.1f", px, py));
                lastY = py;
            }
            // every other line dashed, so a line lying on another stays visible
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke-width=\"2\"")
                    .append(i % 2 == 1 ? " stroke-dasharray=\"7,4\"" : "").append(" stroke=\"").append(color)
                    .append("\"><title>").append(SvgCharts.esc(s.name())).append("</title></path>");
            if (s.points().size() <= 12) {
                for (double[] p : s.points()) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s, %s</title></circle>",
                            LEFT + x.pos(p[0]) * plotW, TOP + PLOT_H - y.pos(p[1]) * PLOT_H, color,
                            SvgCharts.esc(s.name()), SvgCharts.fmt(p[0]), SvgCharts.fmt(p[1])));
                }
            }
        }
        legend(svg, series.stream().map(Series::name).toList(), TOP + PLOT_H + 44);
        return caption(svg, caption, height).append("</svg>").toString();
    }

    /**
     * Horizontal stacked bars: one bar per {@code bars} entry, one segment per stage;
     * {@code values[bar][stage]} in {@code unit}.
     */
    public static String stacked(String title, List<String> bars, List<String> stages, double[][] values, String unit, String caption) {
        if (bars.isEmpty()) return empty(title, caption);
        double total = 0;
        for (double[] row : values) {
            double sum = 0;
            for (double v : row) sum += Math.max(0, v);
            total = Math.max(total, sum);
        }
        Axis x = Axis.of(0, total <= 0 ? 1 : total);
        int barH = 26, plotW = W - LEFT - 40 - RIGHT - 60, left = LEFT + 40;
        int plotH = bars.size() * (barH + 10) + 10;
        int legendRows = (stages.size() + 2) / 3;
        int height = TOP + plotH + 40 + legendRows * 16 + 18;
        StringBuilder svg = open(height, title);
        for (double t : x.ticks()) {
            double px = left + x.pos(t) * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px, TOP, px, TOP + plotH, px, TOP + plotH + 14, SvgCharts.fmt(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, TOP + plotH + 30, SvgCharts.esc(unit)));
        for (int b = 0; b < bars.size(); b++) {
            int y = TOP + 10 + b * (barH + 10);
            svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>", y + 17, SvgCharts.esc(bars.get(b))));
            double at = 0;
            for (int s = 0; s < stages.size(); s++) {
                double v = Math.max(0, values[b][s]);
                double px = left + x.pos(at) * plotW, w = x.pos(at + v) * plotW - x.pos(at) * plotW;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s, %s: %s %s</title></rect>",
                        px, y, Math.max(0, w), barH, COLORS[s % COLORS.length], SvgCharts.esc(bars.get(b)), SvgCharts.esc(stages.get(s)),
                        SvgCharts.fmt(v), SvgCharts.esc(unit)));
                at += v;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", left + x.pos(at) * plotW + 4, y + 17, SvgCharts.fmt(at)));
        }
        legend(svg, stages, TOP + plotH + 40);
        return caption(svg, caption, height).append("</svg>").toString();
    }

    private static StringBuilder open(int height, String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><text x=\"%d\" y=\"20\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                W, height, 8, SvgCharts.esc(title)));
    }

    private static void frame(StringBuilder svg, Axis x, Axis y, int plotW, String xLabel, String yLabel) {
        for (double t : y.ticks()) {
            double py = TOP + PLOT_H - y.pos(t) * PLOT_H;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, py, LEFT + plotW, py, LEFT - 4, py + 4, SvgCharts.fmt(t)));
        }
        for (double t : x.ticks()) {
            double px = LEFT + x.pos(t) * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px, TOP + PLOT_H, px, TOP + PLOT_H + 4, px, TOP + PLOT_H + 16, SvgCharts.fmt(t)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>", LEFT, TOP, plotW, PLOT_H));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, TOP + PLOT_H + 32, SvgCharts.esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                TOP + PLOT_H / 2, SvgCharts.esc(yLabel)));
    }

    private static void legend(StringBuilder svg, List<String> names, int y) {
        for (int i = 0; i < names.size(); i++) {
            int col = i % 3, row = i / 3;
            int x = LEFT + col * 210, yy = y + row * 16;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                    x, yy - 9, COLORS[i % COLORS.length], x + 16, yy, SvgCharts.esc(names.get(i))));
        }
    }

    private static StringBuilder caption(StringBuilder svg, String caption, int height) {
        return svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#333\" class=\"caption\">%s</text>", height - 6,
                SvgCharts.esc(caption)));
    }

    private static String empty(String title, String caption) {
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"60\" font-family=\"sans-serif\" font-size=\"12\">"
                + "<text x=\"8\" y=\"22\">%s: no values</text><text x=\"8\" y=\"44\" class=\"caption\">%s</text></svg>", W, SvgCharts.esc(title), SvgCharts.esc(caption));
    }

    /** A linear axis from a rounded-down minimum to a rounded-up maximum, with about five round ticks. */
    record Axis(double min, double max, double step) {
        static Axis of(double lo, double hi) {
            if (hi <= lo) hi = lo + 1;
            double raw = (hi - lo) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double norm = raw / mag;
            double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
            return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
        }

        double pos(double v) {
            return (v - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double t = min; t <= max + step / 2; t += step) ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            return ticks;
        }
    }
}
