package org.computeops.results.measurements;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.computeops.results.files.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Per-sample files of the measurements whose figures do not come from task rows (CSV with a header,
 * in the run folder: the container-runtime scenarios' under {@code runtimes/}, the harness headroom
 * probes' under {@code samples/}): what those measurements read, and what their SQL definitions read
 * again. One home for the file layout.
 */
public final class SampleFiles {

    private SampleFiles() {
    }

    /** The folder of the container-runtime scenarios' sample files inside a run folder. */
    public static final String DIR = "runtimes";
    /** The folder of the orchestrator scenarios' sample files (harness probes) inside a run folder. */
    public static final String SCENARIO_DIR = "samples";

    /** Rows of one sample file, {@code file} relative to the run folder. */
    static List<Map<String, String>> read(RunFolder run, String file) {
        Path path = run.dir().resolve(file).normalize();
        if (!path.startsWith(run.dir())) throw new IllegalArgumentException("sample file " + file + " lies outside the run folder");
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("sample file " + file + " missing in " + run.dir());
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(path.toFile())) {
            return it.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Rows of one runtime. */
    static List<Map<String, String>> of(RunFolder run, String file, String runtime) {
        return read(run, file).stream().filter(r -> runtime.equals(r.get("runtime"))).toList();
    }

    /** The one row of a runtime in a file that holds one per runtime (footprint, isolation). */
    static Map<String, String> onlyRow(RunFolder run, String file, String runtime) {
        List<Map<String, String>> rows = of(run, file, runtime);
        if (rows.size() != 1) throw new IllegalArgumentException(file + " holds " + rows.size() + " rows of " + runtime + ", expected 1");
        return rows.get(0);
    }

    /** Writes a sample file (header from the first row's keys, in order); returns its path relative to the run folder. */
    public static String write(RunFolder run, String name, List<String> header, List<List<Object>> rows) {
        return write(run, DIR, name, header, rows);
    }

    /** Writes a sample file into {@code dir} of the run folder; returns its path relative to the run folder. */
    public static String write(RunFolder run, String dir, String name, List<String> header, List<List<Object>> rows) {
        Path path = run.dir().resolve(dir).resolve(name);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != header.size()) throw new IllegalArgumentException("row " + row + " does not match " + header);
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) m.put(header.get(i), row.get(i));
            maps.add(m);
        }
        try {
            Files.createDirectories(path.getParent());
            Path tmp = path.resolveSibling(name + ".tmp");
            new CsvMapper().writer(schema.build()).writeValue(tmp.toFile(), maps);
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        return dir + "/" + name;
    }

    static double[] doubles(List<Map<String, String>> rows, String column) {
        return rows.stream().mapToDouble(r -> Double.parseDouble(r.get(column))).toArray();
    }

    /** Nearest rank: the smallest sample with at least p % of the samples at or below it (as the SQL's nearest_rank). */
    static double nearestRank(double[] sorted, double p) {
        return sorted[Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length)) - 1];
    }

    /**
     * The ranks (1-based) of a distribution-free 95 % interval for the p-th percentile of n samples: the binomial
     * (n, p) by its normal approximation, nq ∓ 1.96·√(nq(1−q)), floor below and ceiling + 1 above, clipped to [1, n].
     */
    static int[] quantileCiRanks(int n, double p) {
        double q = p / 100.0;
        double half = 1.96 * Math.sqrt(n * q * (1 - q));
        int low = (int) Math.max(1, Math.floor(n * q - half));
        int high = (int) Math.min(n, Math.ceil(n * q + half) + 1);
        return new int[] {low, high};
    }

    static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    /** The median as the SQL's median(): the mean of the middle two for an even count. */
    static double median(double[] v) {
        double[] s = sorted(v);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
