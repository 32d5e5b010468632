// Request bodies larger than the plan allows are refused before the pulse runs: by Content-Length when the
// client sent one, otherwise by reading at most limit + 1 bytes.

import { readCapped } from "../platform/read-capped.ts";

export type BodyCheck = { ok: true; request: Request } | { ok: false };

export async function limitBody(request: Request, maxBytes: number): Promise<BodyCheck> {
  if (!request.body) return { ok: true, request };
  const declared = request.headers.get("content-length");
  if (declared !== null) return Number(declared) > maxBytes ? { ok: false } : { ok: true, request };
  const body = await readCapped(request.body, maxBytes);
  if (body === null) return { ok: false };
  return { ok: true, request: new Request(request, { body }) };
}
