// pako: deflate/inflate and gzip (zlib port); pako 3 answers bytes, decoded here.
import { deflate, gzip, inflate, ungzip } from "pako";

export default async function run() {
  const input = "pako ".repeat(100);
  const deflated = deflate(input);
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    inflated: text(inflate(deflated)) === input,
    ungzipped: text(ungzip(gzip(input))).length,
    compressedBytes: deflated.length,
    zlibHeader: deflated[0],
  };
}
