// The origins key sets and metadata come from: https only (http on loopback, for a local fake),
// without trailing slashes. Checked when options are resolved and when metadata names a jwks_uri.

/** A loop, not a trailing-slash regex, which backtracks on a long run of "/" that does not end the string. */
export function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return end === value.length ? value : value.slice(0, end);
}

/** https, or http only on loopback (the testkit's server, a local fake). */
export function checkedOrigin(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`entra-verify: ${option} must be an absolute URL, got "${value}"`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError(`entra-verify: ${option} must use https (http is allowed only for 127.0.0.1, localhost and [::1]), got "${value}"`);
  }
  return withoutTrailingSlashes(url.href);
}
