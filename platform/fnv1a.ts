// FNV-1a, 32 bits: a fast, stable hash of a short string for placing things (isolate names, cells, canary shares).
// Not for anything an attacker may want to collide with a purpose: it is not a cryptographic hash.

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
