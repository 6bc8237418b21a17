package amped.fileio;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** Every {@link ServedTreeTest} with the component-by-component openat walk, forced where openat2 exists. */
class ServedTreeWalkTest extends ServedTreeTest {

    @BeforeEach
    void needsTheNativeCalls() {
        Assumptions.assumeTrue(amped.fileio.sys.Native.AVAILABLE, "no native calls here");
    }

    @Override
    ServedTree.Mode mode() {
        return ServedTree.Mode.WALK;
    }
}
