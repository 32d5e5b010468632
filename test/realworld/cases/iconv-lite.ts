// iconv-lite: legacy encodings to and from Buffer (node:buffer under nodejs_compat).
import iconv from "iconv-lite";

export default async function run() {
  const latin1 = iconv.encode("café", "latin1");
  const sjis = iconv.encode("日本", "Shift_JIS");
  return {
    latin1: [...latin1],
    sjis: sjis.toString("hex"),
    back: iconv.decode(Buffer.from([0x63, 0x61, 0x66, 0xe9]), "win1252"),
    exists: iconv.encodingExists("koi8-r"),
  };
}
