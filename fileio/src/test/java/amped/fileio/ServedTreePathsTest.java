package amped.fileio;

/** Every {@link ServedTreeTest} with the portable resolution by path (systems without the native calls). */
class ServedTreePathsTest extends ServedTreeTest {

    @Override
    ServedTree.Mode mode() {
        return ServedTree.Mode.PATHS;
    }
}
