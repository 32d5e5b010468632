// @noble/hashes: sha256, sha3 and HMAC in pure JS.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export default async function run() {
  return {
    sha256: bytesToHex(sha256(utf8ToBytes("abc"))),
    sha3: bytesToHex(sha3_256(utf8ToBytes("abc"))),
    hmac: bytesToHex(hmac(sha256, utf8ToBytes("key"), utf8ToBytes("The quick brown fox jumps over the lazy dog"))),
  };
}
