package amped.core.tls;

import amped.protocol.ParseLimits;
import amped.protocol.RequestHead;
import amped.protocol.RequestParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plain HTTP port of an HTTPS server ({@code --redirect-http}): every request is answered {@code 308}
 * to the same host, path and query on HTTPS, then the connection closes. Each connection reads one request
 * head under the header timeout and writes one short answer; it shares nothing with the serving loops and
 * runs on the JDK's default channel group, since it touches no file.
 */
public final class HttpsRedirect implements AutoCloseable {

    /** Connections at once; more are closed at once (a redirect is cheap to retry). */
    private static final int MAX_CONNECTIONS = 256;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final AsynchronousServerSocketChannel server;
    private final int httpsPort;
    private final Duration headerTimeout;
    private final ParseLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private HttpsRedirect(AsynchronousServerSocketChannel server, int httpsPort, Duration headerTimeout, ParseLimits limits) {
        this.server = server;
        this.httpsPort = httpsPort;
        this.headerTimeout = headerTimeout;
        this.limits = limits;
    }

    public static HttpsRedirect start(InetSocketAddress bind, int httpsPort, Duration headerTimeout, ParseLimits limits)
            throws IOException {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bind, 128);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        HttpsRedirect r = new HttpsRedirect(server, httpsPort, headerTimeout, limits);
        r.accept();
        return r;
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private void accept() {
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel channel, Void unused) {
                if (!closed) {
                    accept();
                }
                if (open.incrementAndGet() > MAX_CONNECTIONS || closed) {
                    close(channel);
                    return;
                }
                new Exchange(channel).read();
            }

            @Override
            public void failed(Throwable failure, Void unused) {
                if (!closed) {
                    // out of descriptors or the like: the next try a moment later, not in a busy loop
                    java.util.concurrent.CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                            .execute(HttpsRedirect.this::accept);
                }
            }
        });
    }

    /** The answer to one request head: 308 to HTTPS, or 400 when it could not be parsed. */
    String answer(RequestHead head) {
        String host = head.header("Host");
        if (host == null || !host.matches("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?")) {
            // none, or not a name or an address: where this port is
            try {
                host = Names.literal(address().getAddress());
            } catch (IOException e) {
                host = "localhost";
            }
        } else if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        String target = head.target().startsWith("/") ? head.target() : "/";
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
        return "HTTP/1.1 308 Permanent Redirect\r\nLocation: " + location + "\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n";
    }

    private final class Exchange {
        private final AsynchronousSocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(4096);
        private final RequestParser parser = new RequestParser(limits);
        private final long deadline = System.nanoTime() + headerTimeout.toNanos();

        Exchange(AsynchronousSocketChannel channel) {
            this.channel = channel;
        }

        void read() {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                end();
                return;
            }
            in.clear();
            channel.read(in, left, TimeUnit.NANOSECONDS, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void unused) {
                    if (n < 0) {
                        end();
                        return;
                    }
                    in.flip();
                    switch (parser.parse(in)) {
                        case NEED_MORE -> read();
                        case HEAD_COMPLETE -> write(answer(parser.head()));
                        case ERROR -> write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }

                @Override
                public void failed(Throwable failure, Void unused) {
                    end();
                }
            });
        }

        void write(String response) {
            ByteBuffer out = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1));
            CompletionHandler<Integer, Void> sent = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, Void unused) {
                    if (out.hasRemaining()) {
                        channel.write(out, SEND_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS, null, this);
                    } else {
                        try {
                            channel.shutdownOutput();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                        end();
                    }
                }

                @Override
                public void failed(Throwable failure, Void unused) {
                    end();
                }
            };
            channel.write(out, SEND_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS, null, sent);
        }

        void end() {
            close(channel);
        }
    }

    private void close(AsynchronousSocketChannel channel) {
        open.decrementAndGet();
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** Host literals for URLs. */
    private static final class Names {
        static String literal(java.net.InetAddress a) {
            if (a.isAnyLocalAddress()) {
                return "localhost";
            }
            String h = a.getHostAddress();
            int zone = h.indexOf('%');
            h = zone < 0 ? h : h.substring(0, zone);
            return a instanceof java.net.Inet6Address ? "[" + h + "]" : h;
        }
    }
}
