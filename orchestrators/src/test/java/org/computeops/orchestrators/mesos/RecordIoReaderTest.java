package org.computeops.orchestrators.mesos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordIoReaderTest {

    private static final String A = "{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":\"f1\"}}}";
    private static final String B = "{\"type\":\"HEARTBEAT\"}";
    private static final String C = "{\"type\":\"UPDATE\",\"update\":{\"status\":{\"state\":\"TASK_RUNNING\",\"message\":\"h\u00e9\u00e9 \u2713\"}}}";

    static byte[] frame(int offset, String... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String r : records) {
            byte[] data = r.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(((data.length + offset) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    /** Returns the bytes in the given chunk sizes, cycling, like a network that splits anywhere. */
    static InputStream chunked(byte[] bytes, int... sizes) {
        return new InputStream() {
            int pos;
            int next;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) return -1;
                int n = Math.min(Math.min(len, sizes[next++ % sizes.length]), bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    static List<String> readAll(InputStream in) throws IOException {
        RecordIoReader reader = new RecordIoReader(in, 1 << 20);
        List<String> out = new ArrayList<>();
        byte[] r;
        while ((r = reader.next()) != null) out.add(new String(r, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void readsRecordsMergedIntoOneChunk() throws IOException {
        assertThat(readAll(new ByteArrayInputStream(frame(0, A, B, C)))).containsExactly(A, B, C);
    }

    @Test
    void readsRecordsSplitIntoSingleBytes() throws IOException {
        assertThat(readAll(chunked(frame(0, A, B, C), 1))).containsExactly(A, B, C);
    }

    @Test
    void readsRecordsSplitInsideTheLengthAndInsideMultibyteCharacters() throws IOException {
        byte[] bytes = frame(0, A, B, C);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int[] sizes = random.ints(16, 1, 40).toArray();
            assertThat(readAll(chunked(bytes, sizes))).as("chunk sizes %s", java.util.Arrays.toString(sizes)).containsExactly(A, B, C);
        }
    }

    @Test
    void neverReadsBeyondTheRecordItReturns() throws IOException {
        // A live stream blocks on any read past what the master sent: the reader must return the
        // record without touching the bytes (or the zero-length read) after it.
        byte[] bytes = frame(0, A);
        InputStream live = new InputStream() {
            int pos;

            @Override
            public int read() {
                if (pos >= bytes.length) throw new AssertionError("read past the record");
                return bytes[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0 || pos >= bytes.length) throw new AssertionError("read past the record (len " + len + ")");
                int n = Math.min(len, bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThat(new String(new RecordIoReader(live, 1000).next(), StandardCharsets.UTF_8)).isEqualTo(A);
    }

    @Test
    void endOfStreamBetweenRecordsIsClean() throws IOException {
        RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(frame(0, B)), 100);
        assertThat(reader.next()).isNotNull();
        assertThat(reader.next()).isNull();
        assertThat(reader.recordsRead()).isEqualTo(1);
        assertThat(readAll(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void truncatedInsideTheDataFails() {
        byte[] bytes = frame(0, A, B);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> readAll(chunked(cut, 3)))
                .isInstanceOf(RecordIoReader.RecordIoException.class).hasMessageContaining("inside record 2");
    }

    @Test
    void truncatedInsideTheLengthFails() {
        byte[] bytes = frame(0, A);
        byte[] withHalfLength = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        withHalfLength[bytes.length] = '2';
        withHalfLength[bytes.length + 1] = '0';
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(withHalfLength)))
                .isInstanceOf(RecordIoReader.RecordIoException.class).hasMessageContaining("inside the length of record 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n{}", "0\n", "-2\n{}", "+2\n{}", " 2\n{}", "2 \n{}", "0x2\n{}", "2\r\n{}", "abc\n",
            "123456789012345678901\n", "99999999999999999999\n"})
    void badLengthsFail(String stream) {
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(stream.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(RecordIoReader.RecordIoException.class);
    }

    @Test
    void lengthAboveTheLimitFailsBeforeReading() {
        RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("101\n".getBytes()), 100);
        assertThatThrownBy(reader::next).hasMessageContaining("exceeds the limit of 100");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1})
    void framingOffByOneByteIsDetected(int offset) {
        // The first record's length is wrong by one byte; the stream must not read through.
        byte[] bytes = frame(0, A, B, C);
        byte[] wrong = frame(offset, A);
        byte[] rest = java.util.Arrays.copyOfRange(bytes, frame(0, A).length, bytes.length);
        byte[] all = new byte[wrong.length + rest.length];
        System.arraycopy(wrong, 0, all, 0, wrong.length);
        System.arraycopy(rest, 0, all, wrong.length, rest.length);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(all)))
                .isInstanceOf(RecordIoReader.RecordIoException.class);
    }

    @Test
    void rejectsNonPositiveLimit() {
        assertThatThrownBy(() -> new RecordIoReader(InputStream.nullInputStream(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
