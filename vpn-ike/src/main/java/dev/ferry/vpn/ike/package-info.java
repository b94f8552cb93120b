/**
 * Ferry's IKEv2 endpoint API: {@link dev.ferry.vpn.ike.IkeEndpoint} (one per local socket set,
 * many IKE SAs), its per-peer {@link dev.ferry.vpn.ike.IkePeerConfig}, and the events an embedding
 * application receives through {@link dev.ferry.vpn.ike.IkeSessionListener}. Negotiated CHILD SAs
 * leave through {@link dev.ferry.vpn.core.sa.ChildSaInstaller}.
 */
package dev.ferry.vpn.ike;
