package dev.ferry.vpn.esp;

/**
 * An immutable map from SPI to value with primitive keys and open addressing: a lookup is a hash,
 * a few array reads and no allocation or boxing. Changes return a new map (copy-on-write), which a
 * writer publishes through a volatile field so readers never wait. SPI 0 marks empty slots: it is
 * reserved and never appears on the wire (RFC 4303 section 2.1).
 */
final class SpiMap<V> {
  private static final SpiMap<?> EMPTY = new SpiMap<>(new int[2], new Object[2], 0);

  private final int[] keys;
  private final Object[] values;
  private final int mask;
  private final int size;

  private SpiMap(int[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.mask = keys.length - 1;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <V> SpiMap<V> empty() {
    return (SpiMap<V>) EMPTY;
  }

  private static int slot(int spi, int mask) {
    // SPIs are chosen at random by their owner, but a peer may pick a sequence: spread them.
    return (spi * 0x9E3779B9 >>> 16 ^ spi * 0x9E3779B9) & mask;
  }

  /** The value for {@code spi}, or null. */
  @SuppressWarnings("unchecked")
  V get(int spi) {
    if (spi == 0) {
      return null;
    }
    for (int i = slot(spi, mask); ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == spi) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  int size() {
    return size;
  }

  /** A map with {@code spi} bound to {@code value} (replacing any earlier value). */
  SpiMap<V> with(int spi, V value) {
    if (spi == 0 || value == null) {
      throw new IllegalArgumentException("SPI 0 and null values cannot be stored");
    }
    int capacity = keys.length;
    while (capacity < (size + 1) * 2) {
      capacity <<= 1;
    }
    SpiMap<V> copy = rehash(capacity);
    int added = copy.put(spi, value) ? 1 : 0;
    return new SpiMap<>(copy.keys, copy.values, size + added);
  }

  /** A map without {@code spi}; this map when it has no such key. */
  SpiMap<V> without(int spi) {
    if (get(spi) == null) {
      return this;
    }
    SpiMap<V> copy = new SpiMap<>(new int[keys.length], new Object[keys.length], size - 1);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0 && keys[i] != spi) {
        copy.put(keys[i], values[i]);
      }
    }
    return copy;
  }

  private SpiMap<V> rehash(int capacity) {
    SpiMap<V> copy = new SpiMap<>(new int[capacity], new Object[capacity], size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        copy.put(keys[i], values[i]);
      }
    }
    return copy;
  }

  /** Only while building a fresh copy: true when the key was new. */
  private boolean put(int spi, Object value) {
    for (int i = slot(spi, mask); ; i = (i + 1) & mask) {
      if (keys[i] == spi) {
        values[i] = value;
        return false;
      }
      if (keys[i] == 0) {
        keys[i] = spi;
        values[i] = value;
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return "SpiMap[" + size + " SPIs]";
  }
}
