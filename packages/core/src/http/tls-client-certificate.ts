// The client certificate of a Node.js TLS connection, for the adapters to pass to verify() so
// certificate-bound tokens can be proven. Structural (no node:* import): core stays runtime-neutral,
// and a socket without TLS (plain HTTP, Bun, a test double) simply has no certificate.
//
// Node's `tls.TLSSocket#getPeerCertificate()` returns an object whose `raw` is the DER Buffer, or an
// empty object when the peer sent none (Node.js docs, tls, "tlsSocket.getPeerCertificate").
// Whether the certificate chains to a trusted CA does not matter here: the TLS handshake already
// proved the client holds its private key, which is what RFC 8705 §3 binds the token to (§2.2 allows
// self-signed client certificates); CA trust is the server's own `requestCert` / `ca` policy.

/** What the adapters read from a request's socket: anything with Node's `getPeerCertificate`. */
export interface PeerCertificateSource {
  /** Node's `tls.TLSSocket#getPeerCertificate`. */
  getPeerCertificate?: (detailed?: boolean) =>
    | {
        /** The certificate's DER bytes (a Buffer); absent when the peer sent none. */
        raw?: unknown;
      }
    | null
    | undefined;
}

/** DER bytes of the peer certificate on a TLS socket, or undefined (no TLS, no certificate, socket gone). */
export function peerCertificateOf(socket: unknown): Uint8Array | undefined {
  const read = (socket as PeerCertificateSource | null | undefined)?.getPeerCertificate;
  if (typeof read !== 'function') return undefined;
  let certificate: { raw?: unknown } | null | undefined;
  try {
    certificate = read.call(socket, false);
  } catch {
    return undefined;
  }
  const raw = certificate?.raw;
  return raw instanceof Uint8Array && raw.length > 0 ? raw : undefined;
}
