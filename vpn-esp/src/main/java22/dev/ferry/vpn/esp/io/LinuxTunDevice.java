package dev.ferry.vpn.esp.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ferry.vpn.core.io.TunIo;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.esp.io.offload.VirtioNetHeader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TUN device this process created and configured: its queues, and the configuration commands to
 * undo on close, newest first. The device is not persistent, so the kernel deletes it when the
 * last queue's descriptor closes; routes and addresses are still removed explicitly first, so a
 * failure to remove them is reported rather than silently left to the kernel.
 */
final class LinuxTunDevice implements TunDevice {

  private static final String TUN_PATH = "/dev/net/tun";
  private static final Logger LOG = LoggerFactory.getLogger(LinuxTunDevice.class);
  /** What we accept from the kernel: checksum offload and TCP super-packets, v4 and v6. */
  private static final int OFFLOADS =
      Libc.TUN_F_CSUM | Libc.TUN_F_TSO4 | Libc.TUN_F_TSO6 | Libc.TUN_F_TSO_ECN;
  private static volatile boolean refusalLogged;

  private final String name;
  private final TunConfig config;
  private final List<LinuxTunQueue> queues;
  private final Deque<List<String>> undo;
  private final IpRoute2 ip;
  private final boolean offload;
  private boolean closed;

  private LinuxTunDevice(String name, TunConfig config, List<LinuxTunQueue> queues,
      Deque<List<String>> undo, IpRoute2 ip, boolean offload) {
    this.name = name;
    this.offload = offload;
    this.config = config;
    this.queues = List.copyOf(queues);
    this.undo = undo;
    this.ip = ip;
  }

  static LinuxTunDevice create(TunConfig config) throws TunException {
    IpRoute2 ip = IpRoute2.locate();
    List<LinuxTunQueue> queues = new ArrayList<>();
    Deque<List<String>> undo = new ArrayDeque<>();
    String name = config.name();
    boolean offload = config.offload();
    try {
      short flags = (short) (Libc.IFF_TUN | Libc.IFF_NO_PI
          | (config.queues() > 1 ? Libc.IFF_MULTI_QUEUE : 0));
      for (int q = 0; q < config.queues(); q++) {
        // The first TUNSETIFF resolves a "%d" pattern; later queues attach by the real name and
        // must ask for the same flags, so the first queue decides whether offloads are on.
        String requested = name;
        name = openQueue(requested, flags, offload, config, queues);
        if (offload && name == null) {
          offload = false;
          name = openQueue(requested, flags, false, config, queues);
        }
      }
      ip.run(IpRoute2.setMtu(name, config.mtu()));
      for (TunAddress address : config.addresses()) {
        ip.run(IpRoute2.addAddress(name, address));
        undo.push(IpRoute2.deleteAddress(name, address));
      }
      ip.run(IpRoute2.setUp(name));
      for (IpPrefix route : config.routes()) {
        ip.run(IpRoute2.replaceRoute(name, route));
        undo.push(IpRoute2.deleteRoute(name, route));
      }
      return new LinuxTunDevice(name, config, queues, undo, ip, offload);
    } catch (TunException | RuntimeException e) {
      // Bad input changes nothing: take back what was done before the failure.
      List<Exception> later = new ArrayList<>();
      undoAll(ip, undo, later);
      closeAll(queues, later);
      later.forEach(e::addSuppressed);
      throw e;
    }
  }

  /**
   * Opens one queue and adds it to {@code queues}; returns the device name, or null when {@code
   * offload} was asked for and the kernel refused one of its ioctls (the descriptor is closed
   * again, which deletes a device only this queue held, so the caller can retry without).
   */
  private static String openQueue(String requested, short flags, boolean offload,
      TunConfig config, List<LinuxTunQueue> queues) throws TunException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Libc.CALL_STATE);
      int fd = Libc.open(state, arena.allocateFrom(TUN_PATH),
          Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
      if (fd < 0) {
        throw openFailure(Libc.errno(state));
      }
      MemorySegment ifreq = arena.allocate(Libc.IFREQ);
      byte[] nameBytes = requested.getBytes(StandardCharsets.UTF_8);
      MemorySegment.copy(MemorySegment.ofArray(nameBytes), 0, ifreq, 0, nameBytes.length);
      ifreq.set(JAVA_SHORT, Libc.IFR_FLAGS_OFFSET,
          (short) (flags | (offload ? Libc.IFF_VNET_HDR : 0)));
      if (Libc.ioctl(state, fd, Libc.TUNSETIFF, ifreq) < 0) {
        int errno = Libc.errno(state);
        Libc.close(state, fd);
        throw setIffFailure(requested, errno);
      }
      String name = ifreq.getString(0);
      // The header size, byte order and offloads belong to the device, not the queue: the first
      // queue sets them, later queues inherit them.
      if (offload && queues.isEmpty()) {
        String refused = enableOffloads(arena, state, fd);
        if (refused != null) {
          Libc.close(state, fd);
          if (!refusalLogged) {
            refusalLogged = true;
            LOG.info("TUN device {}: the kernel refused {}; running without TUN offloads (one"
                + " system call per packet)", name, refused);
          }
          return null;
        }
      }
      int wakeFd = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      if (wakeFd < 0) {
        int errno = Libc.errno(state);
        Libc.close(state, fd);
        throw Libc.failure("eventfd", name, errno);
      }
      queues.add(
          new LinuxTunQueue(name, fd, wakeFd, config.mtu(), config.batchSize(), offload));
      return name;
    }
  }

  /**
   * Sets the virtio header to 10 bytes, little endian, and offers the offloads; returns the call
   * the kernel refused, with its error, or null. The header size is the kernel's default already,
   * and little endian its default on little-endian hosts; both are set so the codec never has to
   * guess ({@code tun_is_little_endian()} in drivers/net/tun.c).
   */
  private static String enableOffloads(Arena arena, MemorySegment state, int fd) {
    MemorySegment value = arena.allocate(JAVA_INT);
    value.set(JAVA_INT, 0, VirtioNetHeader.LENGTH);
    if (Libc.ioctl(state, fd, Libc.TUNSETVNETHDRSZ, value) < 0) {
      return refusal("TUNSETVNETHDRSZ", Libc.errno(state));
    }
    value.set(JAVA_INT, 0, 1);
    if (Libc.ioctl(state, fd, Libc.TUNSETVNETLE, value) < 0) {
      return refusal("TUNSETVNETLE", Libc.errno(state));
    }
    if (Libc.ioctl(state, fd, Libc.TUNSETOFFLOAD, (long) OFFLOADS) < 0) {
      return refusal("TUNSETOFFLOAD(CSUM|TSO4|TSO6|TSO_ECN)", Libc.errno(state));
    }
    return null;
  }

  private static String refusal(String call, int errno) {
    return "ioctl(" + call + "): " + Libc.strerror(errno) + " (errno " + errno + ")";
  }

  private static TunException openFailure(int errno) {
    String text = Libc.strerror(errno) + " (errno " + errno + ")";
    if (errno == Libc.ENOENT || errno == Libc.ENXIO || errno == Libc.ENODEV) {
      return new TunUnavailableException("open(" + TUN_PATH + ")", errno,
          "cannot open " + TUN_PATH + ": " + text + "; load the tun kernel module, or give the"
              + " container the device (docker --device /dev/net/tun)");
    }
    if (errno == Libc.EACCES || errno == Libc.EPERM) {
      return new TunUnavailableException("open(" + TUN_PATH + ")", errno,
          "cannot open " + TUN_PATH + ": " + text + "; the process needs read/write access to it");
    }
    return new TunException("open(" + TUN_PATH + ")", errno, "cannot open " + TUN_PATH + ": "
        + text);
  }

  private static TunException setIffFailure(String name, int errno) {
    String text = Libc.strerror(errno) + " (errno " + errno + ")";
    String call = "ioctl(TUNSETIFF)";
    return switch (errno) {
      case Libc.EPERM -> new TunUnavailableException(call, errno, call + " for " + name
          + " failed: " + text + "; creating a TUN device needs CAP_NET_ADMIN");
      case Libc.EBUSY -> new TunException(call, errno, call + " for " + name + " failed: "
          + text + "; another process has a device of that name open");
      case Libc.EINVAL -> new TunException(call, errno, call + " for " + name + " failed: "
          + text + "; a device of that name exists with other flags (TUN/TAP, multi-queue)");
      default -> new TunException(call, errno, call + " for " + name + " failed: " + text);
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TunConfig config() {
    return config;
  }

  @Override
  public boolean offloadActive() {
    return offload;
  }

  @Override
  public long offloadDrops() {
    long drops = 0;
    for (LinuxTunQueue queue : queues) {
      drops += queue.offloadDrops();
    }
    return drops;
  }

  @Override
  public TunIo queue(int index) {
    if (index < 0 || index >= queues.size()) {
      throw new IndexOutOfBoundsException(
          "queue " + index + " of TUN device " + name + " is outside 0.." + (queues.size() - 1));
    }
    return queues.get(index);
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    List<Exception> failures = new ArrayList<>();
    // Stop I/O first, so no worker sees the routes vanish under it.
    for (LinuxTunQueue queue : queues) {
      queue.stop();
    }
    undoAll(ip, undo, failures);
    closeAll(queues, failures);
    if (!failures.isEmpty()) {
      TunException failure = new TunException("close", 0, "closing TUN device " + name
          + " left " + failures.size() + " problem(s); first: " + failures.get(0).getMessage());
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private static void undoAll(IpRoute2 ip, Deque<List<String>> undo, List<Exception> failures) {
    while (!undo.isEmpty()) {
      try {
        ip.run(undo.pop());
      } catch (TunException e) {
        failures.add(e);
      }
    }
  }

  private static void closeAll(List<LinuxTunQueue> queues, List<Exception> failures) {
    for (LinuxTunQueue queue : queues) {
      try {
        queue.close();
      } catch (TunException e) {
        failures.add(e);
      }
    }
  }

  @Override
  public String toString() {
    return "LinuxTunDevice[" + name + ", queues=" + queues.size() + ", mtu=" + config.mtu()
        + ", offload=" + (offload ? "tso+csum" : "off") + "]";
  }
}
