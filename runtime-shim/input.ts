// Request -> `input`: the JSON body for POST/PUT/PATCH with a JSON content type, else the query parameters.

import type { PulseInput } from "./contract.ts";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export type InputResult = { ok: true; input: PulseInput } | { ok: false; reason: string };

export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

export async function readInput(request: Request): Promise<InputResult> {
  if (BODY_METHODS.has(request.method) && request.body && isJsonContentType(request.headers.get("content-type"))) {
    // The user still gets a readable ctx.request: read a clone, keep the original.
    const text = await request.clone().text();
    if (text.trim() !== "") {
      try {
        return { ok: true, input: JSON.parse(text) as PulseInput };
      } catch {
        return { ok: false, reason: "The request body is not valid JSON" };
      }
    }
  }
  return { ok: true, input: queryToObject(new URL(request.url).searchParams) };
}

/** `?a=1&b=2&b=3` -> `{ a: "1", b: ["2", "3"] }`. Built with defineProperty so `__proto__` stays a plain key. */
export function queryToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    Object.defineProperty(out, key, {
      value: values.length === 1 ? values[0]! : values,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
