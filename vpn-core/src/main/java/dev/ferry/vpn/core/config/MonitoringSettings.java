package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.crypto.Secret;

import dev.ferry.vpn.core.net.IpAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The chart's {@code monitoring.*} keys. The Slack webhook URL carries a token: a {@link Secret}. */
@Value.Immutable
public interface MonitoringSettings {

  @Value.Default
  default boolean enabled() {
    return false;
  }

  @Value.Default
  default String clusterName() {
    return "";
  }

  List<IpAddress> privateIps();

  List<URI> httpEndpoints();

  @Value.Default
  default Duration timeout() {
    return Duration.ofSeconds(5);
  }

  @Value.Default
  default Duration delay() {
    return Duration.ofSeconds(120);
  }

  Optional<Secret> slackWebhook();

  @Value.Default
  default String slackChannel() {
    return "";
  }

  @Value.Default
  default String slackUsername() {
    return "IBM strongSwan VPN";
  }

  @Value.Default
  default String slackIcon() {
    return ":swan:";
  }
}
