package amped.core.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One dispatcher's spare TLS buffers: plaintext just decrypted and records being sent are held only while
 * in use, so an idle connection keeps none of them. Dispatcher thread only, hence no lock.
 */
final class RecordBuffers {

    /** Spares kept for reuse; beyond them a returned buffer is left to the garbage collector. */
    private static final int MAX_SPARES = 64;

    private final int size;
    private final ArrayDeque<ByteBuffer> spares = new ArrayDeque<>();

    RecordBuffers(int size) {
        this.size = size;
    }

    /** A cleared buffer of {@link #size()} bytes. */
    ByteBuffer take() {
        ByteBuffer b = spares.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocate(size);
    }

    void give(ByteBuffer b) {
        if (b.capacity() == size && spares.size() < MAX_SPARES) {
            spares.addFirst(b);
        }
    }

    int size() {
        return size;
    }
}
