package io.kvasir.pubsub;

import io.kvasir.store.Hashing;
import java.util.Arrays;

/**
 * A channel name or pattern as a map key: a slice of bytes with its hash. Stored keys own their
 * bytes; lookups use a view over the request's bytes, so finding a channel copies nothing.
 */
final class Channel {
    final byte[] bytes;
    final int off, len;
    private final int hash;

    private Channel(byte[] bytes, int off, int len) {
        this.bytes = bytes;
        this.off = off;
        this.len = len;
        this.hash = Hashing.hash(bytes, off, len);
    }

    /** A view over {@code b[off, off+len)}, for lookups only: the bytes may change after the call. */
    static Channel view(byte[] b, int off, int len) {
        return new Channel(b, off, len);
    }

    /** A key that owns a copy of {@code b[off, off+len)}. */
    static Channel copy(byte[] b, int off, int len) {
        return new Channel(Arrays.copyOfRange(b, off, off + len), 0, len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channel c && c.hash == hash
                && Arrays.equals(c.bytes, c.off, c.off + c.len, bytes, off, off + len);
    }

    @Override
    public int hashCode() { return hash; }
}
