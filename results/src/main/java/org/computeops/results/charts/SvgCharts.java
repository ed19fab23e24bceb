package org.computeops.results.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small self-contained SVG charts for Allure attachments and the comparison page (no JS, no CDN). */
public final class SvgCharts {

    private static final int W = 640, H = 320, LEFT = 60, BOTTOM = 40, TOP = 30;

    private SvgCharts() {
    }

    /** Histogram of values in {@code bins} equal-width bins. */
    public static String histogram(String title, List<Double> values, String unit, int bins) {
        if (values.isEmpty()) return empty(title);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double width = max > min ? (max - min) / bins : 1;
        int[] counts = new int[bins];
        for (double v : values) counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        List<String> labels = new ArrayList<>();
        List<Double> heights = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(i % Math.max(1, bins / 5) == 0 ? fmt(min + i * width) : "");
            heights.add((double) counts[i]);
        }
        return bars(title + " (" + values.size() + " tasks, " + unit + ")", labels, heights, "tasks");
    }

    /** One bar per entry, in the map's order. */
    public static String bars(String title, Map<String, Double> values, String unit) {
        return bars(title, new ArrayList<>(values.keySet()), new ArrayList<>(values.values()), unit);
    }

    private static String bars(String title, List<String> labels, List<Double> heights, String unit) {
        double top = heights.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (top <= 0) top = 1;
        int plotW = W - LEFT - 20, plotH = H - TOP - BOTTOM;
        double barW = (double) plotW / Math.max(1, heights.size());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">", W, H));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>", LEFT, esc(title)));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                LEFT, H - BOTTOM, W - 20, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>", TOP + 10, esc(fmt(top) + " " + unit)));
        for (int i = 0; i < heights.size(); i++) {
            double h = heights.get(i) / top * plotH;
            double x = LEFT + i * barW;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7ab7\"><title>%s: %s</title></rect>",
                    x + 1, H - BOTTOM - h, Math.max(1, barW - 2), h, esc(labels.get(i)), fmt(heights.get(i))));
            if (!labels.get(i).isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 1, H - BOTTOM + 14, esc(labels.get(i))));
            }
        }
        return svg.append("</svg>").toString();
    }

    private static String empty(String title) {
        return String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"60\"><text x=\"10\" y=\"30\">%s: no values</text></svg>",
                W, esc(title));
    }

    public static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
