/** Ferry VPN Kubernetes adapter. Implementation arrives with the adapter issue. */
module dev.ferry.vpn.k8s {
  requires transitive dev.ferry.vpn.ike;
}
