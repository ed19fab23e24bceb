package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one-off conversion of the Docker image into the forms the runtimes take (infra/runtimes/prepare-image.sh:
 * docker build/save, skopeo, umoci, mksquashfs): {@code conversion_s[STEP]} and {@code conversion_bytes[STEP]}.
 */
public record ImageConversion(String samples) implements Measurement {

    public static ImageConversion fromInputs(Map<String, String> inputs) {
        return new ImageConversion(new Inputs("ImageConversion", inputs).string("samples"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Figure> figures = new ArrayList<>();
        for (Map<String, String> r : SampleFiles.read(evidence.run(), samples)) {
            String step = r.get("step");
            figures.add(Figure.value("conversion_s[" + step + "]", "s", 1, Double.parseDouble(r.get("seconds")), "host",
                    "prepare-image.sh step " + step + ": wall time"));
            figures.add(Figure.value("conversion_bytes[" + step + "]", "bytes", 1, Double.parseDouble(r.get("bytes")), "host",
                    "prepare-image.sh step " + step + ": size of its output"));
        }
        return figures;
    }
}
