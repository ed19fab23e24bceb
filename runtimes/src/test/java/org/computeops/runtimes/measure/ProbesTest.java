package org.computeops.runtimes.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProbesTest {

    @Test
    void elapsedFromTwoAdjtimexReadings() {
        String out = "    time.tv_sec:  1795925936\n    time.tv_usec: 904852\n"
                + "    time.tv_sec:  1795925938\n    time.tv_usec: 104852\n";
        assertThat(Probes.elapsedSeconds(out)).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void elapsedNeedsTwoReadings() {
        assertThatThrownBy(() -> Probes.elapsedSeconds("    time.tv_sec:  1\n    time.tv_usec: 2\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isolationOutputParsed() {
        String out = "uid=0\nCapEff:\t00000000a80425fb\npidns=pid:[4026532700]\nnetns=net:[4026532703]\n"
                + "userns=user:[4026531837]\nuidmap=0 0 4294967295\nprocs=4\n";
        Map<String, String> kv = Probes.keyValues(out);
        assertThat(kv).containsEntry("uid", "0").containsEntry("capeff", "00000000a80425fb")
                .containsEntry("pidns", "pid:[4026532700]").containsEntry("uidmap", "0 0 4294967295")
                .containsEntry("procs", "4");
        assertThat(Probes.capabilityCount("00000000a80425fb")).isEqualTo(14); // Docker's default set
        assertThat(Probes.capabilityCount("0000000000000000")).isZero();
    }

    @Test
    void hostUidThroughTheUidMap() {
        assertThat(Probes.hostUidFromMap(0, "0 995 1")).isEqualTo(995);
        assertThat(Probes.hostUidFromMap(995, "995 0 1")).isEqualTo(0);
        assertThat(Probes.hostUidFromMap(5, "0 0 4294967295")).isEqualTo(5);
        assertThat(Probes.hostUidFromMap(7, "0 995 1")).isEqualTo(-1);
    }

    @Test
    void probesUseOnlyTheGivenPath() {
        assertThat(String.join(" ", Probes.kernel("/x/data/blob", 3))).contains("sha256sum /x/data/blob").contains("-lt 3");
        assertThat(String.join(" ", Probes.read("/data/blob"))).contains("dd if=/data/blob");
        assertThat(Probes.interop("/data/blob").get(2)).contains("sha256sum /data/blob").contains("uname -m");
    }
}
