package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the JSON that {@code ip -j route} prints ({@code ip -j route show table all}, {@code ip -j
 * -6 route}, ...) into a {@link RouteTable}.
 *
 * <p>iproute2 leaves out attributes that have their usual value, so absent fields mean: {@code
 * type} unicast, {@code protocol} boot (it prints every other protocol), {@code scope} global,
 * {@code metric} 0, {@code table} main (or the table that was asked for). {@code dst} is {@code
 * "default"}, a CIDR, or a bare address for a host route. Fields this reader does not use ({@code
 * pref}, {@code expires}, ...) are ignored so that newer iproute2 versions still parse. A multipath
 * route ({@code nexthops}) is kept without gateway and device.
 *
 * <p>JSON is read with SnakeYAML's safe loader (JSON is YAML flow style) with duplicate keys
 * refused.
 */
public final class IpRouteJson {

  private IpRouteJson() {}

  /**
   * Parses a listing; {@code "default"} without a gateway or source to tell the family is IPv4
   * unless the route has IPv6's {@code pref} field, and a missing {@code table} is {@code main}.
   *
   * @throws RouteFormatException naming the route index and field when the input is not valid
   */
  public static RouteTable parse(String json) {
    return parse(json, null, RouteTableId.MAIN);
  }

  /**
   * Parses a listing whose family is known ({@code ip -4}/{@code -6}; null to infer it per route)
   * and whose routes without a {@code table} field belong to {@code tableWhenAbsent} (iproute2
   * omits the field for the table that was asked for).
   */
  public static RouteTable parse(String json, IpFamily family, RouteTableId tableWhenAbsent) {
    if (json == null) {
      throw new RouteFormatException(-1, null, "the text is missing", null);
    }
    if (json.isBlank()) {
      return RouteTable.empty(); // ip prints nothing at all for an empty dump on some versions
    }
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(0);
      root = new Yaml(new SafeConstructor(options)).load(json);
    } catch (YAMLException e) {
      throw new RouteFormatException(-1, null, "not JSON: " + e.getMessage().strip(), e);
    }
    if (!(root instanceof List<?> list)) {
      throw new RouteFormatException(-1, null, "expected a JSON array of routes, found "
          + describe(root), null);
    }
    List<Route> routes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> object)) {
        throw new RouteFormatException(i, null, "expected a JSON object, found " + describe(list.get(i)), null);
      }
      routes.add(new RouteReader(i, object).read(family, tableWhenAbsent));
    }
    return RouteTable.of(routes);
  }

  private static String describe(Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
      case Number n -> "the number " + n;
      case Boolean b -> "the literal " + b;
      case List<?> l -> "an array";
      case Map<?, ?> m -> "an object";
      default -> value.getClass().getSimpleName();
    };
  }

  /** Reads the fields of one route object, reporting errors with its index. */
  private record RouteReader(int index, Map<?, ?> object) {

    Route read(IpFamily familyHint, RouteTableId tableWhenAbsent) {
      RouteType type = has("type") ? field("type", RouteType::parse) : RouteType.UNICAST;
      IpAddress gateway = has("gateway") ? field("gateway", IpAddress::parse) : via();
      IpAddress source = has("prefsrc") ? field("prefsrc", IpAddress::parse) : null;
      IpFamily family = familyHint;
      if (family == null) {
        family = gateway != null ? gateway.family()
            : source != null ? source.family()
            : has("pref") ? IpFamily.IPV6 : null;
      }
      IpFamily known = family;
      IpPrefix dst = field("dst", text -> destination(text, known));
      RouteTableId table = has("table") ? field("table", RouteTableId::parse) : tableWhenAbsent;
      RouteProtocol protocol = has("protocol") ? field("protocol", RouteProtocol::parse) : RouteProtocol.BOOT;
      RouteScope scope = has("scope") ? field("scope", RouteScope::parse) : RouteScope.GLOBAL;
      long metric = has("metric") ? number("metric", 0xffff_ffffL) : 0;
      String device = has("dev") ? field("dev", s -> s) : null;
      Set<String> flags = has("flags") ? strings("flags") : Set.of();
      int mtu = mtu();
      if (object.containsKey("nexthops")) {
        gateway = null;
        device = null;
      }
      try {
        return new Route(dst, gateway, device, metric, table, protocol, scope, type, source, mtu, flags);
      } catch (IllegalArgumentException e) {
        throw new RouteFormatException(index, null, e.getMessage(), e);
      }
    }

    private static IpPrefix destination(String text, IpFamily family) {
      if (text.equals("default")) {
        return new IpPrefix(IpAddress.zero(family == null ? IpFamily.IPV4 : family), 0);
      }
      return IpPrefix.parse(text);
    }

    private boolean has(String name) {
      return object.containsKey(name);
    }

    private RouteFormatException error(String name, String reason, Throwable cause) {
      return new RouteFormatException(index, name, reason, cause);
    }

    private <T> T field(String name, java.util.function.Function<String, T> parser) {
      Object value = object.get(name);
      if (!(value instanceof String text)) {
        throw error(name, value == null && !has(name) ? "is missing" : "expected a string, found "
            + describe(value), null);
      }
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException e) {
        throw error(name, e.getMessage(), e);
      }
    }

    /** RTA_VIA, printed as {"via": {"family": "inet6", "host": "..."}}. */
    private IpAddress via() {
      Object value = object.get("via");
      if (value == null) {
        return null;
      }
      if (!(value instanceof Map<?, ?> m) || !(m.get("host") instanceof String host)) {
        throw error("via", "expected an object with a \"host\" string, found " + describe(value), null);
      }
      try {
        return IpAddress.parse(host);
      } catch (IllegalArgumentException e) {
        throw error("via", e.getMessage(), e);
      }
    }

    private long number(String name, long max) {
      return toNumber(name, object.get(name), max);
    }

    private long toNumber(String name, Object value, long max) {
      long n;
      if (value instanceof Integer || value instanceof Long) {
        n = ((Number) value).longValue();
      } else if (value instanceof String s && !s.isEmpty() && s.length() <= 10
          && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        n = Long.parseLong(s);
      } else {
        throw error(name, "expected a whole number, found " + describe(value), null);
      }
      if (n < 0 || n > max) {
        throw error(name, n + " is outside 0.." + max, null);
      }
      return n;
    }

    private Set<String> strings(String name) {
      if (!(object.get(name) instanceof List<?> list)) {
        throw error(name, "expected an array of strings, found " + describe(object.get(name)), null);
      }
      Set<String> out = new LinkedHashSet<>();
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw error(name, "expected an array of strings, found " + describe(item) + " in it", null);
        }
        out.add(s);
      }
      return out;
    }

    /** {"metrics": [{"mtu": 1300}]}; a locked value prints as ["lock", 1300]. */
    private int mtu() {
      if (!(object.get("metrics") instanceof List<?> metrics)) {
        return 0;
      }
      for (Object entry : metrics) {
        if (entry instanceof Map<?, ?> m && m.containsKey("mtu")) {
          Object value = m.get("mtu");
          if (value instanceof List<?> locked && !locked.isEmpty()) {
            value = locked.get(locked.size() - 1);
          }
          return (int) toNumber("metrics", value, 65535);
        }
      }
      return 0;
    }
  }
}
