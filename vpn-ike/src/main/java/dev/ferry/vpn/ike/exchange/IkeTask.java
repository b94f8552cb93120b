package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import java.util.List;

/**
 * One unit of IKE work (strongSwan's task); several tasks share one exchange (RFC 7296 section
 * 1.2), in the order the {@link ExchangePlan} lists them. Tasks never send and never touch message
 * IDs: the {@link TaskManager} does.
 *
 * <p>Initiator: {@link #build} adds request payloads, then {@link #process} reads the response.
 * Responder: {@link #process} reads the request, then {@link #build} adds response payloads. Both
 * run on the IKE SA's executor.
 */
public interface IkeTask {

  /** Short name for logs, e.g. {@code IKE_INIT}. */
  String name();

  /** Adds this task's payloads to the outgoing message. */
  void build(List<IkePayload> out) throws IkeExchangeException;

  /** Consumes the incoming message; {@link Status#RETRY} asks the initiator to send again. */
  Status process(IkeMessage in) throws IkeExchangeException;

  /** What the task needs after {@link #process}. */
  enum Status {
    /** This task is finished for this exchange. */
    DONE,
    /**
     * Initiator only: the responder asked for a changed request (INVALID_KE_PAYLOAD, COOKIE);
     * the exchange is rebuilt and sent again with the same Message ID.
     */
    RETRY
  }
}
