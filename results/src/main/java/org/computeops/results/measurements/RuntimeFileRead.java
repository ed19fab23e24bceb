package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * Reading the image's fixed file inside one runtime, timed by the command itself: {@code file_read_mib_s[RUNTIME,
 * cold]} (page cache dropped before the read) and {@code [RUNTIME, warm]} (read again right after), MiB / median
 * seconds over the repetitions. The image form (overlay in an engine's store, unpacked directory, SquashFS) is in
 * the samples and the note.
 */
public record RuntimeFileRead(String samples, String runtime) implements Measurement {

    public static RuntimeFileRead fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("RuntimeFileRead", inputs);
        return new RuntimeFileRead(in.string("samples"), in.string("runtime"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Map<String, String>> rows = SampleFiles.of(evidence.run(), samples, runtime);
        if (rows.isEmpty()) throw new IllegalArgumentException(samples + " holds no row of " + runtime);
        double mib = Long.parseLong(rows.get(0).get("bytes")) / 1048576.0;
        String note = runtime + " (" + rows.get(0).get("form") + "): " + Math.round(mib) + " MiB read with cat, MiB / median seconds of "
                + rows.size() + " reads";
        return List.of(
                Figure.value("file_read_mib_s[" + runtime + ", cold]", "MiB/s", rows.size(),
                        RuntimeStartup.round(mib / SampleFiles.median(SampleFiles.doubles(rows, "cold_s"))), "inside", note + ", page cache dropped before each"),
                Figure.value("file_read_mib_s[" + runtime + ", warm]", "MiB/s", rows.size(),
                        RuntimeStartup.round(mib / SampleFiles.median(SampleFiles.doubles(rows, "warm_s"))), "inside", note + ", right after a cold read"));
    }
}
