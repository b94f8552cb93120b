/**
 * IKEv2 crypto suites: the negotiated transforms, SKEYSEED and the SK_* keys (RFC 7296 section
 * 2.14), prf+ (section 2.13), CHILD SA KEYMAT (section 2.17), AUTH (section 2.15) and the SK payload
 * protection.
 */
package dev.ferry.vpn.ike.crypto;
