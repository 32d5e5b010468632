// Request bodies larger than the plan allows are refused before the pulse runs: by Content-Length when the
// client sent one, otherwise by reading at most limit + 1 bytes.

export type BodyCheck = { ok: true; request: Request } | { ok: false };

export async function limitBody(request: Request, maxBytes: number): Promise<BodyCheck> {
  if (!request.body) return { ok: true, request };
  const declared = request.headers.get("content-length");
  if (declared !== null) return Number(declared) > maxBytes ? { ok: false } : { ok: true, request };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, request: new Request(request, { body }) };
}
