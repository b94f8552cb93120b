package dev.ferry.vpn.esp.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP transfer between a listener on {@code local} and a client that connects from {@code
 * local} to {@code far} (which {@link LinuxTunProbe}'s reflector turns back into the listener),
 * with a SHA-256 of what was sent and what arrived. For the TUN probe.
 */
final class TcpLoop {

  private TcpLoop() {}

  /** "ok HASH" if {@code bytes} random bytes arrived intact, else what went wrong. */
  static String transfer(String local, String far, int bytes) throws Exception {
    InetAddress localAddress = InetAddress.getByName(local);
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(localAddress, 0));
      int port = listener.getLocalPort();
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
        try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          byte[] buf = new byte[1 << 16];
          long total = 0;
          int n;
          while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            total += n;
          }
          return total + " " + HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
          return "receiver failed: " + e;
        }
      });
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (Socket client = new Socket()) {
        client.bind(new InetSocketAddress(localAddress, 0));
        client.connect(new InetSocketAddress(far, port), 5000);
        OutputStream out = client.getOutputStream();
        Random random = new Random(bytes);
        byte[] chunk = new byte[256 * 1024];
        for (int sent = 0; sent < bytes; sent += chunk.length) {
          random.nextBytes(chunk);
          int n = Math.min(chunk.length, bytes - sent);
          sha.update(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      } catch (IOException e) {
        return "sender failed: " + e;
      }
      String expected = bytes + " " + HexFormat.of().formatHex(sha.digest());
      String got = received.get(60, TimeUnit.SECONDS);
      return got.equals(expected) ? "ok " + got : "sent " + expected + ", received " + got;
    }
  }
}
