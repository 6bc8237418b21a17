package amped.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A process of clients that ask for a file and never read: {@code NonReaders PORT COUNT PATH}. Prints
 * "ready" once every request is sent, and holds the connections until its standard input closes. Run as
 * its own process, as such clients are: thousands of stalled sockets in the measuring process itself slow
 * that process's own transfers (its socket memory is under pressure), which would measure the test, not
 * the server.
 */
public final class NonReaders {

    private NonReaders() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        byte[] request = ("GET " + args[2] + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                s.getOutputStream().write(request);
                sockets.add(s);
            }
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the test closes our input
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
