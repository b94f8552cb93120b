package dev.ferry.vpn.ike.message;

/**
 * A payload chain broke a structural rule. Internal to the codec: {@link IkeMessageDecoder} turns
 * it into a {@link DecodeResult} and it never escapes the package. Carries the notify to answer
 * with and its data; no stack trace, because it describes input, not a bug.
 */
final class PayloadSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient NotifyType error;
  private final transient Bytes notifyData;

  PayloadSyntaxException(NotifyType error, Bytes notifyData, String detail) {
    super(detail, null, false, false);
    this.error = error;
    this.notifyData = notifyData;
  }

  /** An INVALID_SYNTAX error (RFC 7296 section 3.10.1) described by {@code detail}. */
  static PayloadSyntaxException invalidSyntax(String detail) {
    return new PayloadSyntaxException(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, detail);
  }

  NotifyType error() {
    return error;
  }

  Bytes notifyData() {
    return notifyData;
  }
}
