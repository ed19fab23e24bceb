package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * {@code interop_identical[RUNTIME]}: 1 when the interoperability probe (SHA-256 of a generated stream and of the
 * image's fixed file, uname -m) printed exactly what it printed on the bare host (same SHA-256 of the output bytes),
 * else 0; {@code interop_same_lines[RUNTIME]}: the same after CRLF -> LF (a runtime relaying through a terminal).
 */
public record RuntimeInterop(String samples, String runtime) implements Measurement {

    public static RuntimeInterop fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("RuntimeInterop", inputs);
        return new RuntimeInterop(in.string("samples"), in.string("runtime"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Map<String, String>> mine = SampleFiles.of(evidence.run(), samples, runtime);
        List<Map<String, String>> host = SampleFiles.of(evidence.run(), samples, "host");
        if (mine.size() != 1 || host.size() != 1) throw new IllegalArgumentException(samples + " needs one row of " + runtime + " and one of host");
        boolean same = mine.get(0).get("stdout_sha256").equals(host.get(0).get("stdout_sha256"));
        boolean sameLines = mine.get(0).get("stdout_lf_sha256").equals(host.get(0).get("stdout_lf_sha256"));
        return List.of(Figure.value("interop_identical[" + runtime + "]", "", 1, same ? 1.0 : 0.0, "probe",
                        runtime + " (" + mine.get(0).get("form") + "): output " + (same ? "byte-identical to" : "DIFFERS in its bytes from") + " the bare host's"),
                Figure.value("interop_same_lines[" + runtime + "]", "", 1, sameLines ? 1.0 : 0.0, "probe",
                        runtime + ": output the same as the bare host's once CRLF line ends are read as LF (a terminal relay's)"));
    }

    /** A runtime whose output differs from the bare host's (beyond CRLF line ends) breaks the interoperability check. */
    @Override
    public List<String> violations(List<Figure> figures) {
        return figures.stream().filter(f -> f.name().equals("interop_same_lines[" + runtime + "]") && f.value() != null && f.value() != 1.0)
                .map(f -> runtime + ": the probe's output differs from the bare host's (wrong or stale image?)").toList();
    }
}
