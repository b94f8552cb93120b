package dev.ferry.vpn.esp.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the TUN backend makes, bound once through FFM, with errno captured by the
 * linker (reading it after the call could see a value the JVM itself set in between). Constants
 * are the Linux values, identical on x86-64 and AArch64.
 */
final class Libc {

  static final int O_RDWR = 0x2;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = O_NONBLOCK;
  static final int EFD_CLOEXEC = O_CLOEXEC;

  static final short POLLIN = 0x1;
  static final short POLLOUT = 0x4;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;

  static final int EPERM = 1;
  static final int EIO = 5;
  static final int EBADF = 9;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int ENXIO = 6;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EBUSY = 16;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int EMSGSIZE = 90;
  static final int ENOTSOCK = 88;

  static final short AF_INET = 2;
  static final short AF_INET6 = 10;
  /** {@code IPPROTO_UDP}, the level of UDP's socket options and control messages. */
  static final int SOL_UDP = 17;
  /** udp(7): control message (or option) with the segment size of a GSO send. */
  static final int UDP_SEGMENT = 103;
  /** udp(7): control message with the segment size of a coalesced (GRO) receive. */
  static final int UDP_GRO = 104;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;

  /**
   * {@code struct msghdr} on LP64: name pointer, name length (int, padded), iovec pointer, iovec
   * count, control pointer, control length, flags.
   */
  static final long MSGHDR_SIZE = 56;
  static final long MSG_NAME = 0;
  static final long MSG_NAMELEN = 8;
  static final long MSG_IOV = 16;
  static final long MSG_IOVLEN = 24;
  static final long MSG_CONTROL = 32;
  static final long MSG_CONTROLLEN = 40;
  static final long MSG_FLAGS = 48;
  /** {@code struct iovec}: base pointer, length. */
  static final long IOVEC_SIZE = 16;
  /** {@code struct cmsghdr} on LP64: size_t length, int level, int type, then the data. */
  static final long CMSG_HEADER = 16;
  /** {@code struct sockaddr_in6}, the larger of the two socket addresses. */
  static final long SOCKADDR_IN6_SIZE = 28;
  static final long SOCKADDR_IN_SIZE = 16;

  /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
  static final long TUNSETIFF = 0x400454caL;
  static final short IFF_TUN = 0x0001;
  static final short IFF_MULTI_QUEUE = 0x0100;
  static final short IFF_NO_PI = 0x1000;
  /** Every packet read or written is preceded by a {@code struct virtio_net_hdr}. */
  static final short IFF_VNET_HDR = 0x4000;

  /** {@code _IOW('T', 208, unsigned int)}: the argument is the TUN_F_* mask itself, by value. */
  static final long TUNSETOFFLOAD = 0x400454d0L;
  /** {@code _IOW('T', 216, int)}: the argument points to the virtio header size. */
  static final long TUNSETVNETHDRSZ = 0x400454d8L;
  /** {@code _IOW('T', 220, int)}: the argument points to a flag, non-zero = little-endian header. */
  static final long TUNSETVNETLE = 0x400454dcL;
  /** We complete checksums the kernel left partial (CHECKSUM_PARTIAL). */
  static final int TUN_F_CSUM = 0x01;
  /** We split IPv4 TCP super-packets (TSO). */
  static final int TUN_F_TSO4 = 0x02;
  /** We split IPv6 TCP super-packets. */
  static final int TUN_F_TSO6 = 0x04;
  /** Super-packets may carry ECN's CWR on their first segment. */
  static final int TUN_F_TSO_ECN = 0x08;

  /** {@code struct ifreq} on LP64: a 16-byte name, then a union whose first member is the flags. */
  static final StructLayout IFREQ = MemoryLayout.structLayout(
      MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
      JAVA_SHORT.withName("ifr_flags"),
      MemoryLayout.paddingLayout(22));
  static final long IFR_FLAGS_OFFSET =
      IFREQ.byteOffset(MemoryLayout.PathElement.groupElement("ifr_flags"));

  /** {@code struct pollfd}: int fd; short events; short revents. */
  static final long POLLFD_SIZE = 8;

  static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN = bind("open",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
      Linker.Option.firstVariadicArg(2), ERRNO_CAPTURE);
  private static final MethodHandle IOCTL = bind("ioctl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
      Linker.Option.firstVariadicArg(2), ERRNO_CAPTURE);
  private static final MethodHandle IOCTL_VALUE = bind("ioctl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
      Linker.Option.firstVariadicArg(2), ERRNO_CAPTURE);
  // read and write are critical (no thread-state transition, heap arrays passed directly): they
  // run only on non-blocking descriptors, so they never stall a GC safepoint for long.
  private static final MethodHandle READ = bind("read",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
      Linker.Option.critical(true), ERRNO_CAPTURE);
  private static final MethodHandle WRITE = bind("write",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
      Linker.Option.critical(true), ERRNO_CAPTURE);
  // recvmsg and sendmsg run only on non-blocking sockets (MSG_DONTWAIT), so they are critical
  // too; they take native buffers only (the iovec holds addresses, which heap arrays lack).
  private static final MethodHandle RECVMSG = bind("recvmsg",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
      Linker.Option.critical(false), ERRNO_CAPTURE);
  private static final MethodHandle SENDMSG = bind("sendmsg",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
      Linker.Option.critical(false), ERRNO_CAPTURE);
  private static final MethodHandle POLL = bind("poll",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_CAPTURE);
  private static final MethodHandle EVENTFD = bind("eventfd",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
  private static final MethodHandle CLOSE = bind("close",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
  private static final MethodHandle STRERROR = bind("strerror",
      FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Libc() {}

  private static MethodHandle bind(String name, FunctionDescriptor signature,
      Linker.Option... options) {
    MemorySegment symbol = LIBC.find(name).orElseThrow(
        () -> new IllegalStateException("the C library has no symbol '" + name + "'"));
    return LINKER.downcallHandle(symbol, signature, options);
  }

  static int errno(MemorySegment callState) {
    return (int) ERRNO.get(callState, 0L);
  }

  /** The C library's text for an errno, e.g. "Operation not permitted". */
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw downcallFailed("strerror", t);
    }
  }

  static int open(MemorySegment callState, MemorySegment path, int flags) {
    try {
      return (int) OPEN.invokeExact(callState, path, flags, 0);
    } catch (Throwable t) {
      throw downcallFailed("open", t);
    }
  }

  static int ioctl(MemorySegment callState, int fd, long request, MemorySegment argument) {
    try {
      return (int) IOCTL.invokeExact(callState, fd, request, argument);
    } catch (Throwable t) {
      throw downcallFailed("ioctl", t);
    }
  }

  /** An ioctl whose argument is an integer passed by value (TUNSETOFFLOAD). */
  static int ioctl(MemorySegment callState, int fd, long request, long argument) {
    try {
      return (int) IOCTL_VALUE.invokeExact(callState, fd, request, argument);
    } catch (Throwable t) {
      throw downcallFailed("ioctl", t);
    }
  }

  static long read(MemorySegment callState, int fd, MemorySegment buffer, long length) {
    try {
      return (long) READ.invokeExact(callState, fd, buffer, length);
    } catch (Throwable t) {
      throw downcallFailed("read", t);
    }
  }

  static long write(MemorySegment callState, int fd, MemorySegment buffer, long length) {
    try {
      return (long) WRITE.invokeExact(callState, fd, buffer, length);
    } catch (Throwable t) {
      throw downcallFailed("write", t);
    }
  }

  static long recvmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
    try {
      return (long) RECVMSG.invokeExact(callState, fd, msghdr, flags);
    } catch (Throwable t) {
      throw downcallFailed("recvmsg", t);
    }
  }

  static long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
    try {
      return (long) SENDMSG.invokeExact(callState, fd, msghdr, flags);
    } catch (Throwable t) {
      throw downcallFailed("sendmsg", t);
    }
  }

  static int poll(MemorySegment callState, MemorySegment pollfds, long count, int timeoutMillis) {
    try {
      return (int) POLL.invokeExact(callState, pollfds, count, timeoutMillis);
    } catch (Throwable t) {
      throw downcallFailed("poll", t);
    }
  }

  static int eventfd(MemorySegment callState, int initialValue, int flags) {
    try {
      return (int) EVENTFD.invokeExact(callState, initialValue, flags);
    } catch (Throwable t) {
      throw downcallFailed("eventfd", t);
    }
  }

  static int close(MemorySegment callState, int fd) {
    try {
      return (int) CLOSE.invokeExact(callState, fd);
    } catch (Throwable t) {
      throw downcallFailed("close", t);
    }
  }

  /** A {@link TunException} for a failed call: "what failed on which device: errno text". */
  static TunException failure(String call, String device, int errno) {
    return new TunException(call, errno,
        call + " on TUN device " + device + " failed: " + strerror(errno) + " (errno " + errno
            + ")");
  }

  /**
   * A {@code struct pollfd[2]}: {@code fd} waiting for {@code events}, and {@code wakeFd} (an
   * eventfd a closer signals) for input, so a blocked poll wakes on close.
   */
  static MemorySegment pollSet(Arena owner, int fd, short events, int wakeFd) {
    MemorySegment set = allocate(owner, 2 * POLLFD_SIZE);
    set.set(ValueLayout.JAVA_INT, 0, fd);
    set.set(JAVA_SHORT, 4, events);
    set.set(ValueLayout.JAVA_INT, POLLFD_SIZE, wakeFd);
    set.set(JAVA_SHORT, POLLFD_SIZE + 4, POLLIN);
    return set;
  }

  /** Native memory that lives as long as the arena, zeroed. */
  static MemorySegment allocate(Arena arena, long bytes) {
    return arena.allocate(bytes, 8);
  }

  private static RuntimeException downcallFailed(String call, Throwable t) {
    // A downcall throws only if the linker itself is broken; the C function reports through errno.
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("FFM downcall " + call + " threw", t);
  }
}
