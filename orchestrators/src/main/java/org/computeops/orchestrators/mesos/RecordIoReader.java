package org.computeops.orchestrators.mesos;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads RecordIO as the Mesos master streams it: {@code <decimal length>\n<length bytes>}, repeated.
 * Chunk boundaries carry no meaning, so records are assembled from whatever the stream returns.
 * Strict on purpose (no blank lines, no sign, no zero length): a framing error off by one byte
 * must surface here rather than as a garbled event later.
 */
public final class RecordIoReader implements AutoCloseable {

    /** uint64 has at most 20 decimal digits. */
    private static final int MAX_DIGITS = 20;

    private final InputStream in;
    private final long maxRecordBytes;
    private long records;

    public RecordIoReader(InputStream in, long maxRecordBytes) {
        if (maxRecordBytes <= 0) throw new IllegalArgumentException("maxRecordBytes must be > 0");
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The next record, or null when the stream ends cleanly between records. */
    public byte[] next() throws IOException {
        long length = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (digits == 0) return null;
                throw new RecordIoException("stream ended inside the length of record " + (records + 1));
            }
            if (b == '\n') break;
            if (b < '0' || b > '9') {
                throw new RecordIoException("record " + (records + 1) + ": expected a decimal length, found byte 0x"
                        + Integer.toHexString(b) + " ('" + printable(b) + "') after " + digits + " digit(s)");
            }
            if (++digits > MAX_DIGITS) throw new RecordIoException("record " + (records + 1) + ": length has more than 20 digits");
            length = length * 10 + (b - '0');
            if (length < 0 || length > maxRecordBytes) {
                throw new RecordIoException("record " + (records + 1) + ": length exceeds the limit of " + maxRecordBytes + " bytes");
            }
        }
        if (digits == 0) throw new RecordIoException("record " + (records + 1) + ": empty length line");
        if (length == 0) throw new RecordIoException("record " + (records + 1) + ": length 0 (Mesos never sends empty records)");
        // Not readNBytes: it makes one more read(buf, off, 0) after the last byte, and a network
        // stream may block in it until the next event arrives.
        byte[] data = new byte[(int) length];
        int got = 0;
        while (got < length) {
            int n = in.read(data, got, (int) length - got);
            if (n < 0) {
                throw new RecordIoException("stream ended inside record " + (records + 1) + ": got " + got + " of " + length + " bytes");
            }
            got += n;
        }
        records++;
        return data;
    }

    public long recordsRead() {
        return records;
    }

    private static String printable(int b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : "?";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The stream does not follow RecordIO framing. */
    public static final class RecordIoException extends IOException {
        public RecordIoException(String message) {
            super(message);
        }
    }
}
