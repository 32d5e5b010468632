// Shared pieces of the bad-input suites: what the platform stores (to prove a rejected request stored
// nothing), what every error answer must look like, and the control API's operations read from its own
// OpenAPI document (so a route added to the API is fuzzed without touching the tests).

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ERROR_STATUS } from "../../platform/errors.ts";
import { api } from "./control.ts";
import { allBundleKeys, allKvKeys } from "./whole-store.ts";

/** Tables written on purpose for refused requests (audit) or asynchronously (usage flushes, migrations). */
const NOT_COMPARED = new Set([
  "audit_log",
  "usage_daily",
  "d1_migrations",
  "_cf_KV",
  "_cf_METADATA",
  "sqlite_sequence",
]);

/** Row count of every platform table, KV key count and bundle count: a fingerprint of what is stored. */
export async function storedCounts(): Promise<Record<string, number>> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of tables.results) {
    if (NOT_COMPARED.has(name) || name.startsWith("sqlite_")) continue;
    counts[`table ${name}`] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<number>("n")) ?? 0;
  }
  counts["kv keys"] = (await allKvKeys()).length;
  counts["bundles"] = (await allBundleKeys()).length;
  return counts;
}

const STACK_LINE = /\n\s+at\s|\.ts:\d+:\d+|\.js:\d+:\d+/;

/**
 * The contract of every answer to bad input: below 500 or a known 5xx code; an error body in the one shape,
 * with a code whose status is the response's; no stack or internal file positions.
 */
export function expectCleanAnswer(status: number, text: string, what: string): void {
  expect(STACK_LINE.test(text), `${what}: a stack or source position leaked: ${text.slice(0, 300)}`).toBe(false);
  if (status < 400) return;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what}: ${status} without a JSON error body: ${text.slice(0, 200)}`);
  }
  const code = body?.error?.code as keyof typeof ERROR_STATUS;
  expect(typeof body?.error?.message, `${what}: error without message`).toBe("string");
  expect(code in ERROR_STATUS, `${what}: unknown code ${String(code)}`).toBe(true);
  expect(ERROR_STATUS[code], `${what}: status ${status} does not match code ${code}`).toBe(status);
  // An internal error on bad input is a bug in input handling, even if it is well formed.
  expect(code, `${what}: ${body.error.message}`).not.toBe("internal_error");
}

export interface ApiOperation {
  method: string;
  /** The path template, e.g. /v1/pulses/{name}/secrets/{secret}. */
  path: string;
  params: string[];
}

/** Every operation of the control API, from /v1/openapi.json. */
export async function controlOperations(): Promise<ApiOperation[]> {
  const doc = (await api("GET", "/v1/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  const ops: ApiOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      ops.push({ method: method.toUpperCase(), path, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) });
    }
  }
  return ops;
}

/** The path with each parameter replaced, percent-encoded as a client would. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? "x"));
}
