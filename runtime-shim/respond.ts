// Return value -> Response: a Response passes through, undefined is 204, anything else is 200 JSON.

export class NotSerialisableError extends Error {
  override readonly name = "NotSerialisableError";
}

const utf8 = new TextEncoder();

export function toResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  if (value === undefined) return new Response(null, { status: 204 });
  let body: string | undefined;
  try {
    body = JSON.stringify(value);
  } catch (cause) {
    // Cyclic objects, BigInt, throwing toJSON: the pulse's fault, reported as such.
    throw new NotSerialisableError("The pulse returned a value that cannot be serialised as JSON", { cause });
  }
  // Functions and symbols stringify to undefined: there is no JSON for them.
  if (body === undefined)
    throw new NotSerialisableError(`The pulse returned a ${typeof value}, which has no JSON form`);
  // With its length announced the dispatcher passes the body through untouched (only a stream of unknown
  // length is watched for the wall time: dispatcher/stream-deadline.ts).
  const bytes = utf8.encode(body);
  return new Response(bytes, {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "content-length": String(bytes.byteLength) },
  });
}
