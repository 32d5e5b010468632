// Which side of an open canary serves a request (docs/canary.md). Sticky per client: the key is the value of
// a cookie the dispatcher sets on the first answer from run(), or, without it, a hash of the client's IP and
// user agent; the cookie carries that same hash, so the first request and the ones after it land on the same
// side. bucket = hash mod 100 goes to the canary when it is below the share. One hash per request, no storage.
// A client can choose its side by writing the cookie: it moves only its own traffic.

import { fnv1a } from "../../platform/fnv1a.ts";
import type { CanaryArm, CanarySplit } from "../../platform/registry.ts";

export const CANARY_COOKIE = "__pulse_canary";
const COOKIE_PREFIX = `${CANARY_COOKIE}=`;
const HASH_HEX_DIGITS = 8;
/** 1 day: longer than any window, short enough not to outlive many canaries' worth of deploys. */
const COOKIE_MAX_AGE_S = 86_400;

/** The client's hash from our cookie, or -1 when the request carries none (or a malformed one). */
export function hashFromCookie(cookieHeader: string | null): number {
  if (!cookieHeader) return -1;
  const at = cookieHeader.indexOf(COOKIE_PREFIX);
  if (at < 0 || (at > 0 && cookieHeader[at - 1] !== " " && cookieHeader[at - 1] !== ";")) return -1;
  const start = at + COOKIE_PREFIX.length;
  const value = cookieHeader.slice(start, start + HASH_HEX_DIGITS);
  const next = cookieHeader[start + HASH_HEX_DIGITS];
  if (!/^[0-9a-f]{8}$/.test(value) || (next !== undefined && next !== ";")) return -1;
  return Number.parseInt(value, 16);
}

/** The client's hash without a cookie: IP (set by Cloudflare's edge) and user agent. */
export function hashOfClient(request: Request): number {
  const headers = request.headers;
  return fnv1a(`${headers.get("cf-connecting-ip") ?? ""}|${headers.get("user-agent") ?? ""}`);
}

export function armFor(split: CanarySplit, clientHash: number): CanaryArm {
  return clientHash % 100 < split.share ? split.canary : split.live;
}

/** The Set-Cookie value that keeps a client on its side; host-only, so it never reaches another pulse. */
export function stickyCookie(clientHash: number, secure: boolean): string {
  const value = clientHash.toString(16).padStart(HASH_HEX_DIGITS, "0");
  return `${COOKIE_PREFIX}${value}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** This request's side, and the cookie to set when the client has none yet. Only routes with a canary pay. */
export interface StickySide {
  arm: CanaryArm;
  setCookie: string | null;
}

export function stickySide(split: CanarySplit, request: Request): StickySide {
  const fromCookie = hashFromCookie(request.headers.get("cookie"));
  const hash = fromCookie >= 0 ? fromCookie : hashOfClient(request);
  const setCookie = fromCookie >= 0 ? null : stickyCookie(hash, request.url.startsWith("https:"));
  return { arm: armFor(split, hash), setCookie };
}
