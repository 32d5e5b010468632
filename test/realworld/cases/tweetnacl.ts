// tweetnacl: Ed25519 signatures from a fixed seed, and secretbox round trip with a fixed key and nonce.
import nacl from "tweetnacl";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export default async function run() {
  const keys = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(1));
  const message = new TextEncoder().encode("hello");
  const signature = nacl.sign.detached(message, keys.secretKey);
  const key = new Uint8Array(32).fill(2);
  const nonce = new Uint8Array(24).fill(3);
  const box = nacl.secretbox(message, nonce, key);
  const opened = nacl.secretbox.open(box, nonce, key);
  return {
    publicKey: hex(keys.publicKey),
    verified: nacl.sign.detached.verify(message, signature, keys.publicKey),
    box: hex(box),
    opened: opened ? new TextDecoder().decode(opened) : null,
    randomLength: nacl.randomBytes(16).length,
  };
}
