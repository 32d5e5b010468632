// Finds every spelling of a pulse's secret values in a byte stream in one pass (Aho-Corasick): the cost per
// byte does not grow with the number of secrets or spellings. Built once per secret set and cached
// (matcherFor), so a request pays only for the scan.
//
// The automaton is stored in flat typed arrays (children as sorted edge lists, a dense table for the root,
// where most bytes of an ordinary body stay): a few bytes per node, the nodes bounded by
// platform/secret-limits.ts.

import { secretSpellings } from "../platform/secret-spellings.ts";

const encoder = new TextEncoder();
const ROOT = 0;

export class SecretMatcher {
  /** Longest spelling, in bytes: how far back a match may start from where it ends. */
  readonly maxLength: number;
  readonly nodes: number;
  readonly #rootNext = new Int32Array(256);
  readonly #edgeStart: Int32Array;
  readonly #edgeByte: Uint8Array;
  readonly #edgeTarget: Int32Array;
  readonly #fail: Int32Array;
  /** Length of the longest spelling that ends at this node (itself or through its failure chain), or 0. */
  readonly #longest: Int32Array;
  /** Next node on the failure chain where a spelling ends, or -1. */
  readonly #outLink: Int32Array;
  /** Which values (indexes into the list the matcher was built from) have a spelling ending exactly here. */
  readonly #owners = new Map<number, number[]>();

  constructor(values: readonly string[]) {
    const trie = new Map<number, number>(); // node * 256 + byte -> child
    const ownLength = new Map<number, number>();
    let count = 1;
    let maxLength = 0;
    values.forEach((value, owner) => {
      for (const spelling of secretSpellings(value)) {
        const bytes = encoder.encode(spelling);
        let node = ROOT;
        for (const b of bytes) {
          const key = node * 256 + b;
          let child = trie.get(key);
          if (child === undefined) trie.set(key, (child = count++));
          node = child;
        }
        ownLength.set(node, bytes.byteLength);
        const owners = this.#owners.get(node);
        if (!owners) this.#owners.set(node, [owner]);
        else if (!owners.includes(owner)) owners.push(owner);
        maxLength = Math.max(maxLength, bytes.byteLength);
      }
    });
    this.maxLength = maxLength;
    this.nodes = count;

    // Children as edge lists ordered by parent (keys sorted: node-major, byte-minor).
    const keys = [...trie.keys()].sort((a, b) => a - b);
    this.#edgeStart = new Int32Array(count + 1);
    this.#edgeByte = new Uint8Array(keys.length);
    this.#edgeTarget = new Int32Array(keys.length);
    keys.forEach((key, i) => {
      const parent = Math.floor(key / 256);
      this.#edgeStart[parent + 1]!++;
      this.#edgeByte[i] = key % 256;
      this.#edgeTarget[i] = trie.get(key)!;
      if (parent === ROOT) this.#rootNext[key % 256] = trie.get(key)!;
    });
    for (let n = 0; n < count; n++) this.#edgeStart[n + 1]! += this.#edgeStart[n]!;

    // Failure links breadth first: a node's link is found from its parent's, already set.
    this.#fail = new Int32Array(count);
    this.#longest = new Int32Array(count);
    this.#outLink = new Int32Array(count).fill(-1);
    const queue = new Int32Array(count);
    let head = 0;
    let tail = 0;
    queue[tail++] = ROOT;
    while (head < tail) {
      const parent = queue[head++]!;
      for (let e = this.#edgeStart[parent]!; e < this.#edgeStart[parent + 1]!; e++) {
        const child = this.#edgeTarget[e]!;
        const fail = parent === ROOT ? ROOT : this.step(this.#fail[parent]!, this.#edgeByte[e]!);
        this.#fail[child] = fail;
        this.#longest[child] = Math.max(ownLength.get(child) ?? 0, this.#longest[fail]!);
        this.#outLink[child] = this.#owners.has(fail) ? fail : this.#outLink[fail]!;
        queue[tail++] = child;
      }
    }
  }

  /** The state after reading `byte` in `state` (start from 0). */
  step(state: number, byte: number): number {
    for (let s = state; ; s = this.#fail[s]!) {
      if (s === ROOT) return this.#rootNext[byte]!;
      for (let e = this.#edgeStart[s]!, end = this.#edgeStart[s + 1]!; e < end; e++) {
        if (this.#edgeByte[e] === byte) return this.#edgeTarget[e]!;
      }
    }
  }

  /** Length of the longest spelling ending in this state, or 0. */
  longestAt(state: number): number {
    return this.#longest[state]!;
  }

  /** Adds to `found` the value of every spelling in `bytes`. */
  collectOwners(bytes: Uint8Array, found: Set<number>): void {
    let state = ROOT;
    for (let i = 0; i < bytes.byteLength; i++) {
      state = this.step(state, bytes[i]!);
      if (this.#longest[state] === 0) continue;
      for (let s = this.#owners.has(state) ? state : this.#outLink[state]!; s !== -1; s = this.#outLink[s]!) {
        for (const owner of this.#owners.get(s)!) found.add(owner);
      }
    }
  }

  /** The values (indexes) that appear, in any spelling, in any of `texts` or `bytes`. */
  ownersIn(texts: readonly string[], bytes: Uint8Array | null = null): Set<number> {
    const found = new Set<number>();
    for (const text of texts) this.collectOwners(encoder.encode(text), found);
    if (bytes) this.collectOwners(bytes, found);
    return found;
  }
}

/** The secret set as the stores hand it out: the same array while cached, a new one after a reload. */
type SecretSet = readonly { value: string }[];

/** Matchers by the identity of the store's array (a request's path), then by the values (after a reload). */
const bySet = new WeakMap<SecretSet, SecretMatcher>();
const byValues = new Map<string, SecretMatcher>();
/** Nodes kept in byValues across pulses: a few worst-case sets, thousands of ordinary ones. */
const CACHED_NODES = 2_000_000;
let cachedNodes = 0;

/** The matcher of a secret set, built once per distinct set of values. */
export function matcherFor(secrets: SecretSet): SecretMatcher {
  const known = bySet.get(secrets);
  if (known) return known;
  const values = secrets.map((s) => s.value);
  const key = values.join("\u0000");
  let matcher = byValues.get(key);
  if (matcher) {
    byValues.delete(key); // re-inserted below: most recently used last
  } else {
    matcher = new SecretMatcher(values);
    cachedNodes += matcher.nodes;
  }
  byValues.set(key, matcher);
  for (const [oldKey, old] of byValues) {
    if (cachedNodes <= CACHED_NODES || old === matcher) break;
    byValues.delete(oldKey);
    cachedNodes -= old.nodes;
  }
  bySet.set(secrets, matcher);
  return matcher;
}
