package dev.ferry.vpn.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * One TCP transfer for the end-to-end ITs, run as a child JVM inside a lab namespace ({@code
 * NetnsLab.javaCommand}), so no tool beyond the JDK is needed:
 *
 * <ul>
 *   <li>{@code sink ADDRESS PORT}: accepts one connection, reads until the sender closes, prints
 *       {@code received BYTES sha256=HEX} and exits 0;
 *   <li>{@code source LOCAL REMOTE PORT BYTES SEED}: connects from {@code LOCAL} to {@code
 *       REMOTE:PORT}, sends {@code BYTES} pseudo-random octets (from {@code SEED}), prints {@code
 *       sent BYTES sha256=HEX} and exits 0.
 * </ul>
 *
 * Both sides hash what actually crossed their socket, so equal hashes mean every octet arrived
 * intact and in order. Any I/O error exits 1 with the error on standard error.
 */
public final class TcpTransfer {
  private static final int CHUNK = 64 * 1024;

  private TcpTransfer() {}

  public static void main(String[] args) throws Exception {
    try {
      switch (args[0]) {
        case "sink" -> sink(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        case "source" -> source(InetAddress.getByName(args[1]), InetAddress.getByName(args[2]),
            Integer.parseInt(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]));
        default -> throw new IllegalArgumentException("mode must be sink or source: " + args[0]);
      }
    } catch (IOException e) {
      System.err.println("transfer failed: " + e);
      System.exit(1);
    }
  }

  private static void sink(InetAddress address, int port) throws IOException {
    MessageDigest sha = sha256();
    long total = 0;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(address, port));
      System.out.println("listening " + address.getHostAddress() + " " + port);
      System.out.flush();
      try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          sha.update(buffer, 0, n);
          total += n;
        }
      }
    }
    System.out.println("received " + total + " sha256=" + HexFormat.of().formatHex(sha.digest()));
  }

  private static void source(InetAddress local, InetAddress remote, int port, long bytes,
      long seed) throws IOException {
    MessageDigest sha = sha256();
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buffer = new byte[CHUNK];
    long left = bytes;
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(local, 0));
      socket.connect(new InetSocketAddress(remote, port), 10_000);
      System.out.println("connected");
      System.out.flush();
      OutputStream out = socket.getOutputStream();
      while (left > 0) {
        int n = (int) Math.min(buffer.length, left);
        for (int i = 0; i < n; i += 8) {
          long r = random.nextLong();
          for (int k = 0; k < 8 && i + k < n; k++) {
            buffer[i + k] = (byte) (r >>> (8 * k));
          }
        }
        out.write(buffer, 0, n);
        sha.update(buffer, 0, n);
        left -= n;
      }
      socket.shutdownOutput();
      // Wait for the sink to close: everything was read before we report success.
      socket.getInputStream().read();
    }
    System.out.println("sent " + bytes + " sha256=" + HexFormat.of().formatHex(sha.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
