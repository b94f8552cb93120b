package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.ike.message.ExchangeType;
import java.util.List;
import java.util.Objects;

/**
 * One exchange to run: its type and the tasks composing it, in build/process order (composition is
 * data: IKE_SA_INIT = [IKE_INIT, NAT_DETECTION], IKE_AUTH = [IKE_AUTH, CHILD_CREATE], ...).
 */
public record ExchangePlan(ExchangeType type, List<IkeTask> tasks) {
  public ExchangePlan {
    Objects.requireNonNull(type, "type");
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty() && !type.equals(ExchangeType.INFORMATIONAL)) {
      throw new IllegalArgumentException(type + " needs at least one task");
    }
  }

  /** {@code IKE_AUTH[IKE_AUTH, CHILD_CREATE]}. */
  @Override
  public String toString() {
    return type + tasks.stream().map(IkeTask::name).toList().toString();
  }
}
