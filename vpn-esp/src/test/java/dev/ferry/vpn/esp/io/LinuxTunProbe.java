package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.TunIo;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.packet.Checksums;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exercises {@link LinuxTun} for real: the child JVM that {@link LinuxTunNamespaceIT} starts inside
 * a network namespace it created, so every device, address, route and packet stays in there. The
 * kernel's own stack is the peer: a packet a socket sends to the far side of the device comes out
 * of {@link TunIo#read}, and the reply we {@link TunIo#write} reaches the socket. Prints one line
 * per check ({@code check NAME ok|FAIL detail}) and per measurement ({@code measure NAME VALUE}).
 */
public final class LinuxTunProbe {

  private static final int ECHO_PORT = 7777;
  private static boolean failed;

  private LinuxTunProbe() {}

  public static void main(String[] args) throws Exception {
    boolean bench = args.length > 0 && args[0].equals("--bench");
    try {
      configurationAndEcho();
      multiQueue();
      typedErrors();
      tcpThroughTheDevice(true);
      tcpThroughTheDevice(false);
      if (bench) {
        throughput();
      }
    } catch (Throwable t) {
      check("no-unexpected-exception", false, t.toString());
      t.printStackTrace(System.out);
    }
    System.out.flush();
    System.exit(failed ? 1 : 0);
  }

  static void check(String name, boolean ok, String detail) {
    System.out.println("check " + name + " " + (ok ? "ok" : "FAIL") + " " + detail);
    failed |= !ok;
  }

  private static void configurationAndEcho() throws Exception {
    TunConfig config = TunConfig.of("ferry%d", 1400)
        .withAddress(TunAddress.parse("10.250.0.1/24"))
        .withAddress(TunAddress.parse("fd00:250::1/64"))
        .withRoute(IpPrefix.parse("10.251.0.0/16"))
        .withRoute(IpPrefix.parse("fd00:251::/64"));
    TunDevice device = LinuxTun.open(config);
    String name = device.name();
    check("name-resolved", name.matches("ferry[0-9]+"), name);
    String link = ip("-o", "link", "show", "dev", name);
    check("mtu-and-up", link.contains("mtu 1400") && link.contains("UP"), link);
    String addresses = ip("-o", "addr", "show", "dev", name);
    check("addresses", addresses.contains("10.250.0.1/24") && addresses.contains("fd00:250::1/64"),
        addresses);
    String route4 = ip("route", "show", "10.251.0.0/16");
    String route6 = ip("-6", "route", "show", "fd00:251::/64");
    check("routes", route4.contains("dev " + name) && route6.contains("dev " + name),
        route4 + " | " + route6);

    TunIo queue = device.queue(0);
    AtomicInteger lastRead = new AtomicInteger(Integer.MIN_VALUE);
    Thread responder = new Thread(() -> respond(queue, lastRead), "tun-responder");
    responder.start();

    check("udp4-echo", udpEcho("10.250.0.1", "10.250.0.2"), "via " + name);
    check("udp6-echo", udpEcho("fd00:250::1", "fd00:250::2"), "via " + name);
    check("udp4-routed-subnet-echo", udpEcho("10.250.0.1", "10.251.3.4"), "via route");
    // isReachable sends an ICMP echo request when run as root (the JDK's own "ping").
    check("icmp4-echo", InetAddress.getByName("10.250.0.2").isReachable(3000), "ping 10.250.0.2");
    check("icmp6-echo", InetAddress.getByName("fd00:250::2").isReachable(3000), "ping fd00:250::2");

    long closeStart = System.nanoTime();
    device.close();
    responder.join(3000);
    long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
    check("close-wakes-reader", !responder.isAlive() && lastRead.get() == -1,
        "read returned " + lastRead.get() + " after close (" + closeMillis + " ms)");
    check("read-after-close", queue.read(PacketBatch.forMtu(4, 1400)) == -1, "returns -1");
    boolean threw = false;
    try {
      queue.write(PacketBatch.forMtu(4, 1400), 0);
    } catch (ClosedChannelException e) {
      threw = true;
    }
    check("write-after-close", threw, "throws ClosedChannelException");
    device.close(); // idempotent
    check("device-removed", !ip("-o", "link", "show").contains(name + ":"), name);
    check("routes-removed", ip("route", "show", "10.251.0.0/16").isBlank()
        && ip("-6", "route", "show", "fd00:251::/64").isBlank(), "no routes left");
  }

  /** Answers UDP echo-port datagrams and ICMP/ICMPv6 echo requests until the queue closes. */
  private static void respond(TunIo queue, AtomicInteger lastRead) {
    PacketBatch in = PacketBatch.forMtu(queue.batchSize(), queue.mtu());
    PacketBatch out = PacketBatch.forMtu(queue.batchSize(), queue.mtu());
    try {
      while (true) {
        int n = queue.read(in);
        lastRead.set(n);
        if (n < 0) {
          return;
        }
        int replies = 0;
        for (int i = 0; i < n; i++) {
          if (turnIntoReply(in.buffer(i), in.offset(i), in.length(i))) {
            out.put(replies++, in.buffer(i), in.offset(i), in.length(i));
          }
        }
        if (replies > 0) {
          queue.write(out, replies);
        }
      }
    } catch (IOException e) {
      System.out.println("check responder FAIL " + e);
      failed = true;
    }
  }

  /** Rewrites a request in place into its reply; false for packets we do not answer. */
  static boolean turnIntoReply(byte[] b, int off, int len) {
    int version = (b[off] & 0xff) >>> 4;
    int addressLength = version == 4 ? 4 : 16;
    int sourceAt = off + (version == 4 ? 12 : 8);
    int headerLength = version == 4 ? (b[off] & 0x0f) * 4 : 40;
    int protocol = b[off + (version == 4 ? 9 : 6)] & 0xff;
    int l4 = off + headerLength;
    if (len < headerLength + 8) {
      return false;
    }
    boolean udpEcho = protocol == 17 && u16(b, l4 + 2) == ECHO_PORT;
    boolean icmpEcho = (version == 4 && protocol == 1 && b[l4] == 8)
        || (version == 6 && protocol == 58 && (b[l4] & 0xff) == 128);
    if (!udpEcho && !icmpEcho) {
      return false;
    }
    // Swapping source and destination (and ports) leaves every checksum valid: one's complement
    // sums do not depend on the order of their terms (RFC 1071 section 2).
    swap(b, sourceAt, sourceAt + addressLength, addressLength);
    if (udpEcho) {
      swap(b, l4, l4 + 2, 2);
    } else {
      int oldWord = u16(b, l4);
      b[l4] = (byte) (version == 4 ? 0 : 129); // echo reply (RFC 792, RFC 4443 section 4.2)
      int checksum = Checksums.update16(u16(b, l4 + 2), oldWord, u16(b, l4));
      b[l4 + 2] = (byte) (checksum >>> 8);
      b[l4 + 3] = (byte) checksum;
    }
    return true;
  }

  private static boolean udpEcho(String local, String remote) throws IOException {
    InetAddress localAddress = InetAddress.getByName(local);
    StandardProtocolFamily family = localAddress.getAddress().length == 4
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    try (DatagramChannel channel = DatagramChannel.open(family)) {
      channel.bind(new InetSocketAddress(localAddress, 0));
      channel.configureBlocking(false);
      byte[] payload = ("echo via TUN to " + remote).getBytes(StandardCharsets.UTF_8);
      channel.send(ByteBuffer.wrap(payload), new InetSocketAddress(remote, ECHO_PORT));
      ByteBuffer answer = ByteBuffer.allocate(2048);
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (channel.receive(answer) != null) {
          answer.flip();
          return ByteBuffer.wrap(payload).equals(answer);
        }
        Thread.sleep(5);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A TCP connection that runs through the device twice: a forwarder reads every packet, swaps
   * its source and destination addresses (which leaves all checksums valid) and writes it back,
   * so the client's {@code 10.254.0.1:c -> 10.254.0.2:P} reaches the listener on {@code
   * 10.254.0.1:P} as coming from {@code 10.254.0.2:c}, and the answers find their way back the
   * same way. With offloads, the kernel hands the forwarder TSO super-packets, which the reader
   * must split exactly, and the forwarder's writes go back as coalesced super-packets, which the
   * kernel must accept and deliver intact: the SHA-256 at both ends says they were.
   */
  private static void tcpThroughTheDevice(boolean offload) throws Exception {
    String mode = offload ? "offload" : "plain";
    TunConfig config = TunConfig.of("ferrytcp%d", 1400)
        .withAddress(TunAddress.parse("10.254.0.1/24"))
        .withAddress(TunAddress.parse("fd00:254::1/64"))
        .withOffload(offload);
    try (TunDevice device = LinuxTun.open(config)) {
      check("offload-mode-" + mode, device.offloadActive() == offload
          && device.toString().contains(offload ? "offload=tso+csum" : "offload=off"),
          device.toString());
      TunIo queue = device.queue(0);
      Thread forwarder = new Thread(() -> reflect(queue), "tun-reflector");
      forwarder.start();
      for (String family : List.of("4", "6")) {
        String local = family.equals("4") ? "10.254.0.1" : "fd00:254::1";
        String far = family.equals("4") ? "10.254.0.2" : "fd00:254::2";
        long started = System.nanoTime();
        String result = TcpLoop.transfer(local, far, 48 << 20);
        double seconds = (System.nanoTime() - started) / 1e9;
        check("tcp" + family + "-through-device-" + mode, result.startsWith("ok"), result);
        System.out.printf("measure tcp%s-loop-mbit-%s %.0f%n", family, mode,
            48 * 8 * 1.048576 / seconds);
      }
      device.close();
      forwarder.join(3000);
      if (offload) {
        long read = (long) call(queue, "superPacketsRead");
        long written = (long) call(queue, "superPacketsWritten");
        check("tso-super-packets-split", read > 0, read + " super-packets read and split");
        check("gro-super-packets-written", written > 0, written + " super-packets written");
        check("offload-no-drops", device.offloadDrops() == 0, device.offloadDrops() + " drops");
      }
    }
  }

  /** Swaps source and destination of every packet read and writes the batch back. */
  private static void reflect(TunIo queue) {
    PacketBatch batch = PacketBatch.forMtu(queue.batchSize(), queue.mtu());
    try {
      while (true) {
        int n = queue.read(batch);
        if (n < 0) {
          return;
        }
        for (int i = 0; i < n; i++) {
          byte[] b = batch.buffer(i);
          int off = batch.offset(i);
          boolean v4 = (b[off] & 0xf0) == 0x40;
          swap(b, off + (v4 ? 12 : 8), off + (v4 ? 16 : 24), v4 ? 4 : 16);
        }
        queue.write(batch, n);
      }
    } catch (ClosedChannelException e) {
      // closed between read and write
    } catch (IOException e) {
      System.out.println("check reflector FAIL " + e);
      failed = true;
    }
  }

  private static Object call(Object target, String method) throws Exception {
    java.lang.reflect.Method m = target.getClass().getDeclaredMethod(method);
    m.setAccessible(true);
    return m.invoke(target);
  }

  private static void multiQueue() throws IOException {
    try (TunDevice device = LinuxTun.open(TunConfig.of("ferrymq%d", 1400).withQueues(2))) {
      TunIo first = device.queue(0);
      TunIo second = device.queue(1);
      String details = ip("-d", "-o", "link", "show", "dev", device.name());
      check("multi-queue", first != second && details.contains("multi_queue"), details);
      PacketBatch batch = PacketBatch.forMtu(2, 1400);
      batch.put(0, new byte[] {0x50, 0, 0, 20}, 0, 4); // version 5
      batch.set(1, batch.headroom(), 0); // empty
      check("write-drops-refused-packets", second.write(batch, 2) == 0,
          "neither a version-5 nor an empty packet is accepted, and nothing throws");
    }
  }

  private static void typedErrors() throws IOException {
    try {
      LinuxTun.open(TunConfig.of("lo", 1400)).close();
      check("tunsetiff-error", false, "opening 'lo' as a TUN device succeeded");
    } catch (TunException e) {
      check("tunsetiff-error", e.operation().equals("ioctl(TUNSETIFF)") && e.errno() == 22
          && e.getMessage().contains("Invalid argument"), e.getMessage());
    }
    TunConfig clash = TunConfig.of("ferryundo", 1400)
        .withAddress(TunAddress.parse("10.253.0.1/24"))
        .withAddress(TunAddress.parse("10.253.0.1/24"));
    try {
      LinuxTun.open(clash).close();
      check("failed-create-undoes", false, "adding one address twice succeeded");
    } catch (TunException e) {
      check("failed-create-undoes", e.operation().equals("ip addr add")
              && e.getMessage().contains("ip addr add 10.253.0.1/24 dev ferryundo")
              && !ip("-o", "link", "show").contains("ferryundo"),
          e.getMessage() + " | links after: " + ip("-o", "link", "show"));
    }
  }

  private static void throughput() throws Exception {
    TunConfig config = TunConfig.of("ferrybench", 1500)
        .withAddress(TunAddress.parse("10.252.0.1/24"));
    try (TunDevice device = LinuxTun.open(config)) {
      TunIo queue = device.queue(0);
      for (int size : List.of(64, 1400)) {
        measureWrite(queue, size);
        measureRead(queue, size);
      }
    }
  }

  /** Writes batches of UDP packets from the far side to a closed local port, for 2 s. */
  private static void measureWrite(TunIo queue, int size) throws IOException {
    PacketBatch batch = PacketBatch.forMtu(64, queue.mtu());
    byte[] packet = udp4(size, new byte[] {10, (byte) 252, 0, 2}, new byte[] {10, (byte) 252, 0, 1});
    for (int i = 0; i < batch.capacity(); i++) {
      batch.put(i, packet, 0, size);
    }
    for (int warm = 0; warm < 2000; warm++) {
      queue.write(batch, batch.capacity());
    }
    long packets = 0;
    long allocated = allocatedBytes();
    long start = System.nanoTime();
    long end = start + 2_000_000_000L;
    long now;
    while ((now = System.nanoTime()) < end) {
      packets += queue.write(batch, batch.capacity());
    }
    long bytesAllocated = allocatedBytes() - allocated;
    double seconds = (now - start) / 1e9;
    System.out.printf("measure write-pps-%d %.0f%n", size, packets / seconds);
    System.out.printf("measure write-alloc-bytes-per-packet-%d %.1f%n", size,
        (double) bytesAllocated / packets);
  }

  /** Reads what a local socket sends to the far side as fast as it can, for 2 s. */
  private static void measureRead(TunIo queue, int size) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread sender = new Thread(() -> {
      try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
        channel.bind(new InetSocketAddress("10.252.0.1", 0));
        ByteBuffer payload = ByteBuffer.allocateDirect(size - 28);
        InetSocketAddress target = new InetSocketAddress("10.252.0.2", 9);
        while (!stop.get()) {
          payload.clear();
          channel.send(payload, target);
        }
      } catch (IOException e) {
        System.out.println("check bench-sender FAIL " + e);
      }
    }, "bench-sender");
    sender.start();
    PacketBatch batch = PacketBatch.forMtu(64, queue.mtu());
    long warmEnd = System.nanoTime() + 500_000_000L;
    while (System.nanoTime() < warmEnd) {
      queue.read(batch);
    }
    long packets = 0;
    long reads = 0;
    long allocated = allocatedBytes();
    long start = System.nanoTime();
    long end = start + 2_000_000_000L;
    long now;
    while ((now = System.nanoTime()) < end) {
      packets += queue.read(batch);
      reads++;
    }
    long bytesAllocated = allocatedBytes() - allocated;
    stop.set(true);
    sender.join();
    double seconds = (now - start) / 1e9;
    System.out.printf("measure read-pps-%d %.0f%n", size, packets / seconds);
    System.out.printf("measure read-packets-per-call-%d %.2f%n", size, (double) packets / reads);
    System.out.printf("measure read-alloc-bytes-per-packet-%d %.1f%n", size,
        (double) bytesAllocated / packets);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** An IPv4/UDP packet of {@code size} bytes to port 9 (discard), UDP checksum 0 (none). */
  static byte[] udp4(int size, byte[] source, byte[] destination) {
    byte[] p = new byte[size];
    p[0] = 0x45;
    p[2] = (byte) (size >>> 8);
    p[3] = (byte) size;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(source, 0, p, 12, 4);
    System.arraycopy(destination, 0, p, 16, 4);
    int checksum = Checksums.checksum(p, 0, 20);
    p[10] = (byte) (checksum >>> 8);
    p[11] = (byte) checksum;
    p[20] = 0x30;
    p[21] = 0x39;
    p[23] = 9;
    p[24] = (byte) ((size - 20) >>> 8);
    p[25] = (byte) (size - 20);
    return p;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  private static void swap(byte[] b, int first, int second, int length) {
    for (int i = 0; i < length; i++) {
      byte t = b[first + i];
      b[first + i] = b[second + i];
      b[second + i] = t;
    }
  }

  private static String ip(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return out.strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
