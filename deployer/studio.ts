// Pulse Studio: the web page of the control plane, served at /studio from the files Vite built (bundled into
// this Worker as one generated module). No token ever reaches these routes: the page holds it in memory and
// sends it to /v1 only, as an Authorization header.

import type { Context } from "hono";
import STUDIO_ASSETS from "./generated/studio-assets.js";
import { errorResponse } from "../platform/errors.ts";
import type { ControlApp } from "./context.ts";

export interface StudioAsset {
  contentType: string;
  /** Text as is, or base64 for binary files. */
  body: string;
  base64: boolean;
  etag: string;
}
export type StudioAssets = Record<string, StudioAsset>;

export const STUDIO_PREFIX = "/studio/";

/**
 * Only the page's own files run or style it, it may only talk to its own origin, and nothing may frame it.
 * CodeMirror and Chart.js set styles through the CSSOM (element.style, constructed style sheets), which
 * style-src does not govern, so no 'unsafe-inline' is needed. Pico's icons are data: SVGs.
 */
export const STUDIO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'report-sample'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": STUDIO_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "x-frame-options": "DENY",
};

const decoded = new Map<string, Uint8Array>();

function bytesOf(path: string, asset: StudioAsset): Uint8Array | string {
  if (!asset.base64) return asset.body;
  let bytes = decoded.get(path);
  if (!bytes) {
    bytes = Uint8Array.from(atob(asset.body), (ch) => ch.charCodeAt(0));
    decoded.set(path, bytes);
  }
  return bytes;
}

export function serveStudio(c: Context<ControlApp>): Response {
  const path = c.req.path.slice(STUDIO_PREFIX.length) || "index.html";
  const asset = STUDIO_ASSETS[path];
  if (!asset) return errorResponse("not_found", "No such studio file", c.get("requestId"), SECURITY_HEADERS);
  const headers = new Headers(SECURITY_HEADERS);
  headers.set("content-type", asset.contentType);
  headers.set("etag", asset.etag);
  // Built files are named by their hash and never change; the page itself must be re-read to find new ones.
  headers.set("cache-control", path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  if (c.req.header("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
  return new Response(c.req.method === "HEAD" ? null : bytesOf(path, asset), { headers });
}
