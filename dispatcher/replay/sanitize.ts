// What of an end user's request may be kept for replay: never a credential. Headers and query parameters whose
// name says credential, or whose value looks like one (a bearer/basic scheme, a JWT), are left out; the record
// notes their names so a developer knows why a replayed input differs.

/** Headers never kept, whatever their value; also the platform's own per-request headers. */
const ALWAYS_DROPPED = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-pulse-request-id",
  "x-pulse-redirect",
  "cf-connecting-ip",
  "x-forwarded-for",
  "x-real-ip",
  "true-client-ip",
]);
/** Any name containing one of these reads as a credential: x-api-key, x-auth-token, access_token, session... */
const CREDENTIAL_NAME =
  /(auth|token|secret|passw|pwd|api[-_]?key|apikey|session|cookie|signature|credential|jwt|bearer|private)/i;
/** Values that are credentials whatever their name. */
const CREDENTIAL_VALUE = [/^\s*(bearer|basic|digest|token)\s+\S/i, /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./];

export function looksLikeCredential(name: string, value: string): boolean {
  return CREDENTIAL_NAME.test(name) || CREDENTIAL_VALUE.some((p) => p.test(value));
}

export function keptHeaders(headers: Headers): { headers: string[][]; dropped: string[] } {
  const kept: string[][] = [];
  const dropped: string[] = [];
  for (const [name, value] of headers) {
    if (ALWAYS_DROPPED.has(name) || looksLikeCredential(name, value)) dropped.push(name);
    else kept.push([name, value]);
  }
  return { headers: kept, dropped };
}

export function keptQuery(search: URLSearchParams): { query: string; dropped: string[] } {
  const kept = new URLSearchParams();
  const dropped: string[] = [];
  for (const [name, value] of search) {
    if (looksLikeCredential(name, value)) dropped.push(`?${name}`);
    else kept.append(name, value);
  }
  const query = kept.toString();
  return { query: query ? `?${query}` : "", dropped };
}
