package dev.ferry.vpn.ike.message;

import java.util.HashMap;
import java.util.Map;

/**
 * IKEv2 Notify Message Types (RFC 7296 section 3.10.1, IANA "IKEv2 Notify Message Types"): error
 * types below 16384, status types from 16384 on.
 *
 * <p>An open registry: {@link #valueOf} accepts every 16-bit value, unknown values round-trip
 * unchanged, and {@link #isKnown} tells whether Ferry has a name for the value. RFC 7296 section
 * 3.10.1: an unrecognised error type in a response means the request failed; an unrecognised
 * status type is ignored. {@link #isError} encodes that split.
 */
public record NotifyType(int value) {
  private static final RegistryNames NAMES = new RegistryNames("NotifyType", 65535);
  private static final Map<Integer, String> SHORT_NAMES = new HashMap<>();

  /** The first status type; every lower value is an error type (RFC 7296 section 3.10.1). */
  public static final int FIRST_STATUS_TYPE = 16384;

  /** A critical payload was not understood; data is its one-octet type. */
  public static final NotifyType UNSUPPORTED_CRITICAL_PAYLOAD = define(1, "UNSUPPORTED_CRITICAL_PAYLOAD", "CRIT");
  /** The IKE SPI is unknown to the receiver. */
  public static final NotifyType INVALID_IKE_SPI = define(4, "INVALID_IKE_SPI", "INVAL_IKE_SPI");
  /** The major version is not supported; data is the highest supported. */
  public static final NotifyType INVALID_MAJOR_VERSION = define(5, "INVALID_MAJOR_VERSION", "INVAL_MAJOR");
  /** A message was malformed (RFC 7296 section 3.10.1). */
  public static final NotifyType INVALID_SYNTAX = define(7, "INVALID_SYNTAX", "INVAL_SYN");
  /** The message ID was outside the window. */
  public static final NotifyType INVALID_MESSAGE_ID = define(9, "INVALID_MESSAGE_ID", "INVAL_MID");
  /** An ESP or AH SPI is unknown. */
  public static final NotifyType INVALID_SPI = define(11, "INVALID_SPI", "INVAL_SPI");
  /** None of the proposals was acceptable. */
  public static final NotifyType NO_PROPOSAL_CHOSEN = define(14, "NO_PROPOSAL_CHOSEN", "NO_PROP");
  /** The KE group is not the one expected; data is the accepted group. */
  public static final NotifyType INVALID_KE_PAYLOAD = define(17, "INVALID_KE_PAYLOAD", "INVAL_KE");
  /** The AUTH payload did not verify. */
  public static final NotifyType AUTHENTICATION_FAILED = define(24, "AUTHENTICATION_FAILED", "AUTH_FAILED");
  /** Only a single pair of traffic selectors is acceptable. */
  public static final NotifyType SINGLE_PAIR_REQUIRED = define(34, "SINGLE_PAIR_REQUIRED", "SINGLE_PAIR");
  /** No more Child SAs are accepted on this IKE SA. */
  public static final NotifyType NO_ADDITIONAL_SAS = define(35, "NO_ADDITIONAL_SAS", "NO_ADD_SAS");
  /** No internal address could be assigned. */
  public static final NotifyType INTERNAL_ADDRESS_FAILURE = define(36, "INTERNAL_ADDRESS_FAILURE", "INT_ADDR_FAIL");
  /** A configuration payload was required. */
  public static final NotifyType FAILED_CP_REQUIRED = define(37, "FAILED_CP_REQUIRED", "FAIL_CP_REQ");
  /** The traffic selectors are unacceptable. */
  public static final NotifyType TS_UNACCEPTABLE = define(38, "TS_UNACCEPTABLE", "TS_UNACCEPT");
  /** A packet did not match the SA's selectors. */
  public static final NotifyType INVALID_SELECTORS = define(39, "INVALID_SELECTORS", "INVAL_SEL");
  /** MOBIKE: the new addresses are unacceptable (RFC 4555). */
  public static final NotifyType UNACCEPTABLE_ADDRESSES = define(40, "UNACCEPTABLE_ADDRESSES", "UNACCEPT_ADDR");
  /** MOBIKE: a NAT was detected where none is allowed (RFC 4555). */
  public static final NotifyType UNEXPECTED_NAT_DETECTED = define(41, "UNEXPECTED_NAT_DETECTED", "UNEXPECT_NAT");
  /** Use the assigned home address (RFC 5026). */
  public static final NotifyType USE_ASSIGNED_HOA = define(42, "USE_ASSIGNED_HOA", "USE_ASSIGNED_HoA");
  /** Retry later, e.g. during a rekey collision (RFC 7296 section 2.25). */
  public static final NotifyType TEMPORARY_FAILURE = define(43, "TEMPORARY_FAILURE", "TEMP_FAIL");
  /** The Child SA to rekey does not exist (section 2.25). */
  public static final NotifyType CHILD_SA_NOT_FOUND = define(44, "CHILD_SA_NOT_FOUND", "NO_CHILD_SA");
  /** Group key management: unknown group (RFC 9838). */
  public static final NotifyType INVALID_GROUP_ID = define(45, "INVALID_GROUP_ID", "INVAL_GROUP_ID");
  /** Group key management: not authorised (RFC 9838). */
  public static final NotifyType AUTHORIZATION_FAILED = define(46, "AUTHORIZATION_FAILED", "AUTHZ_FAILED");
  /** Session resumption state not found (RFC 5723). */
  public static final NotifyType STATE_NOT_FOUND = define(47, "STATE_NOT_FOUND", "STATE_NOT_FOUND");
  /** This is the only IKE SA with the peer; older ones may be deleted. */
  public static final NotifyType INITIAL_CONTACT = define(16384, "INITIAL_CONTACT", "INIT_CONTACT");
  /** The sender's message ID window size. */
  public static final NotifyType SET_WINDOW_SIZE = define(16385, "SET_WINDOW_SIZE", "SET_WINSIZE");
  /** The selectors were narrowed; more SAs could be created. */
  public static final NotifyType ADDITIONAL_TS_POSSIBLE = define(16386, "ADDITIONAL_TS_POSSIBLE", "ADD_TS_POSS");
  /** IP payload compression is offered. */
  public static final NotifyType IPCOMP_SUPPORTED = define(16387, "IPCOMP_SUPPORTED", "IPCOMP_SUP");
  /** Hash of the sender's SPIs, address and port (section 2.23). */
  public static final NotifyType NAT_DETECTION_SOURCE_IP = define(16388, "NAT_DETECTION_SOURCE_IP", "NATD_S_IP");
  /** Hash of the SPIs and the receiver's address and port (section 2.23). */
  public static final NotifyType NAT_DETECTION_DESTINATION_IP = define(16389, "NAT_DETECTION_DESTINATION_IP", "NATD_D_IP");
  /** Stateless cookie (section 2.6). */
  public static final NotifyType COOKIE = define(16390, "COOKIE", "COOKIE");
  /** Transport mode is requested. */
  public static final NotifyType USE_TRANSPORT_MODE = define(16391, "USE_TRANSPORT_MODE", "USE_TRANSP");
  /** Hash and URL certificates are accepted. */
  public static final NotifyType HTTP_CERT_LOOKUP_SUPPORTED = define(16392, "HTTP_CERT_LOOKUP_SUPPORTED", "HTTP_CERT_LOOK");
  /** The new Child SA replaces the one with the given SPI. */
  public static final NotifyType REKEY_SA = define(16393, "REKEY_SA", "REKEY_SA");
  /** Traffic flow confidentiality padding is not accepted. */
  public static final NotifyType ESP_TFC_PADDING_NOT_SUPPORTED = define(16394, "ESP_TFC_PADDING_NOT_SUPPORTED", "ESP_TFC_PAD_N");
  /** Non-first IP fragments are sent on this SA. */
  public static final NotifyType NON_FIRST_FRAGMENTS_ALSO = define(16395, "NON_FIRST_FRAGMENTS_ALSO", "NON_FIRST_FRAG");
  /** MOBIKE is supported (RFC 4555). */
  public static final NotifyType MOBIKE_SUPPORTED = define(16396, "MOBIKE_SUPPORTED", "MOBIKE_SUP");
  /** MOBIKE: another IPv4 address of the sender. */
  public static final NotifyType ADDITIONAL_IP4_ADDRESS = define(16397, "ADDITIONAL_IP4_ADDRESS", "ADD_4_ADDR");
  /** MOBIKE: another IPv6 address of the sender. */
  public static final NotifyType ADDITIONAL_IP6_ADDRESS = define(16398, "ADDITIONAL_IP6_ADDRESS", "ADD_6_ADDR");
  /** MOBIKE: the sender has no other addresses. */
  public static final NotifyType NO_ADDITIONAL_ADDRESSES = define(16399, "NO_ADDITIONAL_ADDRESSES", "NO_ADD_ADDR");
  /** MOBIKE: move the SAs to the addresses of this message. */
  public static final NotifyType UPDATE_SA_ADDRESSES = define(16400, "UPDATE_SA_ADDRESSES", "UPD_SA_ADDR");
  /** MOBIKE return routability check. */
  public static final NotifyType COOKIE2 = define(16401, "COOKIE2", "COOKIE2");
  /** MOBIKE: NATs are not allowed. */
  public static final NotifyType NO_NATS_ALLOWED = define(16402, "NO_NATS_ALLOWED", "NO_NATS");
  /** Re-authentication interval (RFC 4478). */
  public static final NotifyType AUTH_LIFETIME = define(16403, "AUTH_LIFETIME", "AUTH_LFT");
  /** Multiple authentication rounds (RFC 4739). */
  public static final NotifyType MULTIPLE_AUTH_SUPPORTED = define(16404, "MULTIPLE_AUTH_SUPPORTED", "MULT_AUTH");
  /** Another authentication round follows (RFC 4739). */
  public static final NotifyType ANOTHER_AUTH_FOLLOWS = define(16405, "ANOTHER_AUTH_FOLLOWS", "AUTH_FOLLOWS");
  /** Redirection is supported (RFC 5685). */
  public static final NotifyType REDIRECT_SUPPORTED = define(16406, "REDIRECT_SUPPORTED", "REDIR_SUP");
  /** Redirect to another gateway (RFC 5685). */
  public static final NotifyType REDIRECT = define(16407, "REDIRECT", "REDIR");
  /** The gateway that redirected the sender (RFC 5685). */
  public static final NotifyType REDIRECTED_FROM = define(16408, "REDIRECTED_FROM", "REDIR_FROM");
  /** EAP-only authentication (RFC 5998). */
  public static final NotifyType EAP_ONLY_AUTHENTICATION = define(16417, "EAP_ONLY_AUTHENTICATION", "EAP_ONLY");
  /** IKE SAs without Child SAs (RFC 6023). */
  public static final NotifyType CHILDLESS_IKEV2_SUPPORTED = define(16418, "CHILDLESS_IKEV2_SUPPORTED", "CHDLESS_SUP");
  /** IKE fragmentation is supported (RFC 7383 section 2.3). */
  public static final NotifyType IKEV2_FRAGMENTATION_SUPPORTED = define(16430, "IKEV2_FRAGMENTATION_SUPPORTED", "FRAG_SUP");
  /** Hash algorithms for signatures (RFC 7427). */
  public static final NotifyType SIGNATURE_HASH_ALGORITHMS = define(16431, "SIGNATURE_HASH_ALGORITHMS", "HASH_ALG");
  /** Post-quantum preshared keys (RFC 8784). */
  public static final NotifyType USE_PPK = define(16435, "USE_PPK", "USE_PPK");
  /** PPK identity (RFC 8784). */
  public static final NotifyType PPK_IDENTITY = define(16436, "PPK_IDENTITY", "PPK_ID");
  /** AUTH without PPK (RFC 8784). */
  public static final NotifyType NO_PPK_AUTH = define(16437, "NO_PPK_AUTH", "NO_PPK");
  /** IKE_INTERMEDIATE is supported (RFC 9242). */
  public static final NotifyType INTERMEDIATE_EXCHANGE_SUPPORTED = define(16438, "INTERMEDIATE_EXCHANGE_SUPPORTED", "IKE_INT_SUP");

  public NotifyType {
    NAMES.checkRange(value);
  }

  private static NotifyType define(int value, String name, String shortName) {
    SHORT_NAMES.put(value, shortName);
    return new NotifyType(NAMES.define(value, name));
  }

  /** The notify type {@code value}; throws IllegalArgumentException outside 0..65535. */
  public static NotifyType valueOf(int value) {
    return new NotifyType(value);
  }

  /** True for error types (value below 16384, RFC 7296 section 3.10.1). */
  public boolean isError() {
    return value < FIRST_STATUS_TYPE;
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code INVALID_SYNTAX}, or {@code NotifyType(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  /**
   * strongSwan's abbreviation used in one-line message summaries, e.g. {@code INIT_CONTACT} or
   * {@code NATD_S_IP}; the decimal value for unknown types.
   */
  public String shortName() {
    String s = SHORT_NAMES.get(value);
    return s != null ? s : Integer.toString(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
