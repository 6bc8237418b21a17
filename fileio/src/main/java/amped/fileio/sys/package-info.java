/**
 * The Linux system calls the JDK does not offer, through {@code java.lang.foreign}: every restricted call
 * of amped is in this package, one small class per concern ({@link amped.fileio.sys.OpenAt} opens beneath
 * a directory, {@link amped.fileio.sys.FileStat} stats a descriptor, {@link amped.fileio.sys.Dirents} reads a
 * directory's names as bytes, {@link amped.fileio.sys.Fd} owns a descriptor).
 * {@link amped.fileio.sys.Native#AVAILABLE} says whether they can be used here (Linux on x86_64 or aarch64
 * with the symbols found and native access granted); where it is false, callers take their portable path
 * and nothing in this package is called. Errors come back as {@link amped.fileio.sys.ErrnoException}, the
 * {@code errno} captured by the call itself ({@code Linker.Option.captureCallState}).
 *
 * <p>The jar's manifest says {@code Enable-Native-Access: ALL-UNNAMED}, and the tests run with
 * {@code --enable-native-access=ALL-UNNAMED}, so the JVM does not warn about these calls.
 */
package amped.fileio.sys;
