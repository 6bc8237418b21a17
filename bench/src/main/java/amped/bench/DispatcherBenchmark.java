package amped.bench;

import amped.core.Dispatcher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second handed from another thread (as the poller and disk helpers do) to a dispatcher and
 * run there: a burst of events, then wait until the dispatcher has run them all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DispatcherBenchmark {

    private static final int BURST = 1000;

    private Dispatcher dispatcher;
    private final AtomicLong ran = new AtomicLong();
    private long expected;
    private final Runnable count = () -> ran.lazySet(ran.get() + 1);

    @Setup(Level.Trial)
    public void start() {
        dispatcher = new Dispatcher("amped-dispatcher-bench");
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        dispatcher.stop();
        dispatcher.awaitStop(5, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long handOff() {
        for (int i = 0; i < BURST; i++) {
            dispatcher.execute(count);
        }
        expected += BURST;
        while (ran.get() < expected) {
            Thread.onSpinWait();
        }
        return expected;
    }
}
