package org.computeops.results.cli;

import org.computeops.results.model.Figure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second, independent computation of every figure: each measurement kind has its definition
 * as SQL in {@code resources/verify/KIND.sql}, run by DuckDB over the run's tasks.csv (and, for
 * HTTP load, Gatling's report) with the figure's recorded inputs. It shares no code with the Java
 * measurements that wrote the figures, and the SQL files document the definitions.
 */
final class IndependentCheck implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private final Connection db;

    IndependentCheck(Path tasksCsv) throws SQLException {
        db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute(load("_tasks.sql").replace("${csv}", quote(tasksCsv.toString())));
        }
    }

    /** True when the kind has an independent definition. */
    static boolean knows(String kind) {
        return kind != null && kind.matches("[A-Z][A-Za-z0-9]*") && IndependentCheck.class.getResource("/verify/" + kind + ".sql") != null;
    }

    /** The figures of one measurement for one scenario repetition, recomputed in SQL. */
    List<Figure> figures(String kind, Map<String, String> inputs, String orchestrator, String scenario, int repetition, Path runDir)
            throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP VIEW scenario_tasks AS SELECT * FROM all_tasks WHERE orchestrator = " + quote(orchestrator)
                    + " AND scenario = " + quote(scenario) + " AND CAST(repetition AS INTEGER) = " + repetition);
            s.execute("CREATE OR REPLACE TEMP VIEW scenario_phases AS SELECT p.* FROM all_phases p JOIN scenario_tasks t USING (k)");
            String sql = substitute(load(kind + ".sql"), inputs, runDir);
            List<Figure> figures = new ArrayList<>();
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    figures.add(new Figure(r.getString("name"), null, r.getLong("n"), dbl(r, "p50"), dbl(r, "p90"), dbl(r, "p99"),
                            dbl(r, "max"), dbl(r, "value"), null, r.getLong("errors"), null, kind, null));
                }
            }
            return figures;
        }
    }

    private static Double dbl(ResultSet r, String column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static String substitute(String sql, Map<String, String> inputs, Path runDir) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = key.equals("run_dir") ? runDir.toString() : inputs == null ? null : inputs.get(key);
            if (value == null) throw new IllegalArgumentException("the figure lacks the input '" + key + "' its SQL definition needs");
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        return m.appendTail(out).toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String load(String name) {
        try (InputStream in = IndependentCheck.class.getResourceAsStream("/verify/" + name)) {
            if (in == null) throw new IllegalArgumentException("no independent definition verify/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
