// A pulse's cookies stay on its own host. Every pulse is a subdomain of one base domain, so a Set-Cookie with
// `Domain={base}` would be sent by the browser to every other pulse and to the control host. A Domain attribute
// that is not the pulse's host or a subdomain of it is removed (the cookie becomes host-only); the rest of the
// cookie is left as the pulse wrote it. Operators should also list the base domain in the Public Suffix List
// (docs/cookies.md), so browsers refuse such cookies themselves. On a custom domain (app.example.com) the
// cookie stays on that host: a pulse never sets one for example.com, which other tenants' hosts may sit under.

/**
 * Rewrites `headers` in place; cheap when the answer sets no cookie (the common case). `customHost` is the
 * verified custom domain the request came on (normalised), if any.
 */
export function confineCookieDomains(
  headers: Headers,
  pulseName: string,
  baseDomain: string,
  customHost?: string,
): void {
  if (!headers.has("set-cookie")) return;
  const pulseHost = customHost ?? `${pulseName}.${baseDomain.toLowerCase().replace(/\.+$/, "")}`;
  const cookies = headers.getSetCookie();
  const confined = cookies.map((cookie) => confineCookie(cookie, pulseHost));
  if (confined.every((cookie, i) => cookie === cookies[i])) return;
  headers.delete("set-cookie");
  for (const cookie of confined) headers.append("set-cookie", cookie);
}

/** The cookie without any Domain attribute outside `pulseHost` (lowercase, no trailing dot). */
export function confineCookie(cookie: string, pulseHost: string): string {
  const parts = cookie.split(";");
  const kept = parts.filter((part, index) => index === 0 || domainWithin(part, pulseHost) !== false);
  return kept.length === parts.length ? cookie : kept.join(";");
}

/** null when `attribute` is not Domain; else whether its value is `pulseHost` or under it. */
function domainWithin(attribute: string, pulseHost: string): boolean | null {
  const eq = attribute.indexOf("=");
  if ((eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase() !== "domain") return null;
  // As browsers read it (RFC 6265 5.2.3): a leading dot is ignored, case does not matter.
  const value =
    eq < 0
      ? ""
      : attribute
          .slice(eq + 1)
          .trim()
          .toLowerCase()
          .replace(/^\./, "")
          .replace(/\.+$/, "");
  return value === pulseHost || value.endsWith(`.${pulseHost}`);
}
