package dev.ferry.vpn.core.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable map from prefixes (IPv4 and IPv6 together) to values, answering longest-prefix
 * match: the value of the most specific prefix that contains an address, as a routing table does.
 *
 * <p>Lookups allocate nothing and cost a bucket read plus a short binary search over primitive
 * arrays, independent of how deeply prefixes nest. Building costs {@code O(n log n)}; {@link #with}
 * and {@link #without} rebuild, so batch changes through a {@link Builder}. Values must not be
 * null (null means "no match"). Safe to share between threads.
 */
public final class PrefixMap<V> {

  /** One prefix and its value. */
  public record Entry<V>(IpPrefix prefix, V value) implements Comparable<Entry<V>> {
    public Entry {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(value, "value");
    }

    /** By prefix. */
    @Override
    public int compareTo(Entry<V> other) {
      return prefix.compareTo(other.prefix);
    }
  }

  private static final PrefixMap<?> EMPTY = new PrefixMap<>(List.of());

  /** All entries sorted by prefix; {@code prefixes[i]} is {@code entries.get(i).prefix()}. */
  private final List<Entry<V>> entries;

  private final IpPrefix[] prefixes;
  private final Ipv4IntervalTable ipv4;
  private final Ipv6IntervalTable ipv6;

  private PrefixMap(List<Entry<V>> sortedEntries) {
    entries = List.copyOf(sortedEntries);
    prefixes = new IpPrefix[entries.size()];
    List<Entry<V>> v4 = new ArrayList<>();
    List<Entry<V>> v6 = new ArrayList<>();
    for (int i = 0; i < prefixes.length; i++) {
      Entry<V> e = entries.get(i);
      prefixes[i] = e.prefix();
      (e.prefix().family() == IpFamily.IPV4 ? v4 : v6).add(e);
    }
    ipv4 = new Ipv4IntervalTable(IntervalSweep.of(IpFamily.IPV4, v4, Entry::prefix));
    ipv6 = new Ipv6IntervalTable(IntervalSweep.of(IpFamily.IPV6, v6, Entry::prefix));
  }

  /** The empty map. */
  @SuppressWarnings("unchecked")
  public static <V> PrefixMap<V> of() {
    return (PrefixMap<V>) EMPTY;
  }

  /** A map holding the entries of {@code map}. */
  public static <V> PrefixMap<V> copyOf(Map<IpPrefix, ? extends V> map) {
    Builder<V> builder = builder();
    map.forEach(builder::put);
    return builder.build();
  }

  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /** The value of the longest prefix containing {@code address}, or null when none does. */
  @SuppressWarnings("unchecked")
  public V longestMatch(IpAddress address) {
    return (V)
        switch (address) {
          case Ipv4Address a -> ipv4.value(ipv4.find(a.bits()));
          case Ipv6Address a -> ipv6.value(ipv6.find(a.high(), a.low()));
        };
  }

  /** The entry with the longest prefix containing {@code address}, or null when none does. */
  @SuppressWarnings("unchecked")
  public Entry<V> longestMatchEntry(IpAddress address) {
    return (Entry<V>)
        switch (address) {
          case Ipv4Address a -> ipv4.owner(ipv4.find(a.bits()));
          case Ipv6Address a -> ipv6.owner(ipv6.find(a.high(), a.low()));
        };
  }

  /** IPv4 fast path: {@link #longestMatch} for the address with these 32 bits. */
  @SuppressWarnings("unchecked")
  public V longestMatchIpv4(int bits) {
    return (V) ipv4.value(ipv4.find(bits));
  }

  /** IPv6 fast path: {@link #longestMatch} for the address {@code high:low}. */
  @SuppressWarnings("unchecked")
  public V longestMatchIpv6(long high, long low) {
    return (V) ipv6.value(ipv6.find(high, low));
  }

  /** The value stored for exactly {@code prefix}, or null. */
  public V get(IpPrefix prefix) {
    int i = Arrays.binarySearch(prefixes, Objects.requireNonNull(prefix, "prefix"));
    return i >= 0 ? entries.get(i).value() : null;
  }

  public boolean containsPrefix(IpPrefix prefix) {
    return get(prefix) != null;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** All entries, sorted by prefix. */
  public List<Entry<V>> entries() {
    return entries;
  }

  /** A map with {@code prefix} bound to {@code value}, replacing any earlier value. */
  public PrefixMap<V> with(IpPrefix prefix, V value) {
    return toBuilder().put(prefix, value).build();
  }

  /** A map without {@code prefix}; this map when it has no such entry. */
  public PrefixMap<V> without(IpPrefix prefix) {
    return containsPrefix(prefix) ? toBuilder().remove(prefix).build() : this;
  }

  /** A builder starting with this map's entries. */
  public Builder<V> toBuilder() {
    Builder<V> builder = builder();
    entries.forEach(e -> builder.put(e.prefix(), e.value()));
    return builder;
  }

  /** Equal when the entries are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PrefixMap<?> other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** Size only: values may be anything, including things that must not be logged. */
  @Override
  public String toString() {
    return "PrefixMap[" + entries.size() + " prefixes]";
  }

  /** Collects entries for a {@link PrefixMap}; a later {@code put} for a prefix replaces it. */
  public static final class Builder<V> {
    private final Map<IpPrefix, V> values = new HashMap<>();

    private Builder() {}

    public Builder<V> put(IpPrefix prefix, V value) {
      values.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Binds every prefix of {@code prefixes} to {@code value}. */
    public Builder<V> putAll(Collection<IpPrefix> prefixes, V value) {
      prefixes.forEach(p -> put(p, value));
      return this;
    }

    public Builder<V> remove(IpPrefix prefix) {
      values.remove(prefix);
      return this;
    }

    public PrefixMap<V> build() {
      List<Entry<V>> sorted = new ArrayList<>(values.size());
      values.forEach((p, v) -> sorted.add(new Entry<>(p, v)));
      sorted.sort(null);
      return new PrefixMap<>(sorted);
    }
  }
}
