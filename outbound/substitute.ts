// Turns secret references in an outgoing request into values, for one hop to one host. Headers are always
// eligible; the URL and the body only where the secret opted in. A reference whose secret may not go to this
// host refuses the whole request: nothing is sent. References of other pulses are not in `secrets`, so they
// stay the inert strings they are.

import { REF_PATTERN } from "../platform/secret-refs.ts";
import { hostMatches } from "./rules.ts";
import type { ResolvedSecret } from "./secret-store.ts";

export interface OutgoingParts {
  url: string;
  headers: Headers;
  body: Uint8Array | null;
}

export type Substituted =
  | { ok: true; parts: OutgoingParts; used: ResolvedSecret[]; headersWithRefs: string[] }
  | { ok: false; message: string };

const REF_PREFIX = new TextEncoder().encode("pulseref_");

export function substituteSecrets(parts: OutgoingParts, host: string, secrets: readonly ResolvedSecret[]): Substituted {
  const byRef = new Map(secrets.map((s) => [s.ref, s]));
  const used = new Set<ResolvedSecret>();
  let refusal: string | null = null;

  const replace = (text: string, place: "header" | "url" | "body", encode: (v: string) => string): string =>
    text.replace(REF_PATTERN, (ref) => {
      const secret = byRef.get(ref);
      if (!secret) return ref;
      const label = `${secret.kind} ${secret.name}`;
      if (!secret.hosts.some((pattern) => hostMatches(pattern, host))) {
        refusal ??= `${label} may not be sent to ${host}`;
        return ref;
      }
      if (place === "url" && !secret.allowInUrl)
        refusal ??= `${label} may not be placed in a URL (it is allowed in headers only)`;
      if (place === "body" && !secret.allowInBody)
        refusal ??= `${label} may not be placed in a request body (it is allowed in headers only)`;
      used.add(secret);
      return encode(secret.value);
    });

  const headers = new Headers();
  const headersWithRefs: string[] = [];
  for (const [name, value] of parts.headers) {
    if (value.includes("pulseref_")) headersWithRefs.push(name);
    headers.append(
      name,
      replace(value, "header", (v) => v),
    );
  }
  const url = parts.url.includes("pulseref_") ? replace(parts.url, "url", encodeURIComponent) : parts.url;

  let body = parts.body;
  if (body && containsBytes(body, REF_PREFIX)) {
    const type = parts.headers.get("content-type") ?? "";
    const encode = type.includes("json")
      ? (v: string) => JSON.stringify(v).slice(1, -1)
      : type.includes("x-www-form-urlencoded")
        ? encodeURIComponent
        : (v: string) => v;
    body = new TextEncoder().encode(replace(new TextDecoder().decode(body), "body", encode));
  }
  if (refusal) return { ok: false, message: refusal };
  return { ok: true, parts: { url, headers, body }, used: [...used], headersWithRefs };
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  let i = haystack.indexOf(needle[0]!);
  while (i !== -1 && i + needle.byteLength <= haystack.byteLength) {
    let k = 1;
    while (k < needle.byteLength && haystack[i + k] === needle[k]) k++;
    if (k === needle.byteLength) return true;
    i = haystack.indexOf(needle[0]!, i + 1);
  }
  return false;
}
