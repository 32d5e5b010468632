// A streamed answer (no Content-Length) may never end: a pulse returning an endless or silent stream would
// hold the end user's connection, and the pulse's isolate, forever. The plan's wall time covers the whole
// answer, body included: at the deadline the stream is errored, so the client sees a cut connection rather
// than a body that looks complete. Bodies of known length pass untouched (no copy on the common path).

export class StreamDeadlineError extends Error {
  override readonly name = "StreamDeadlineError";
}

export function limitStreamTime(
  body: ReadableStream<Uint8Array> | null,
  headers: Headers,
  deadline: number,
  onCut: () => void,
): ReadableStream<Uint8Array> | null {
  if (!body || headers.has("content-length")) return body;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const capped = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      timer = setTimeout(
        () => {
          onCut();
          controller.error(new StreamDeadlineError("the pulse's answer passed its wall time"));
        },
        Math.max(0, deadline - Date.now()),
      );
    },
    flush() {
      clearTimeout(timer);
    },
  });
  body.pipeTo(capped.writable).catch(() => clearTimeout(timer)); // the source erred or was cancelled
  return capped.readable;
}
