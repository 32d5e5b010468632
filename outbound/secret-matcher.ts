// Finds every spelling of a pulse's secret values in a byte stream in one pass (Aho-Corasick): the cost per
// byte does not grow with the number of secrets or spellings. Built once per secret set and cached
// (matcherFor), so a request pays only for the scan.
//
// The automaton is stored in flat typed arrays (children as linked lists, a dense table for the root, where
// most bytes of an ordinary body stay): 21 bytes per node, the nodes bounded by platform/secret-limits.ts.

import { secretSpellings } from "../platform/secret-spellings.ts";

const encoder = new TextEncoder();
const ROOT = 0;

export class SecretMatcher {
  /** Longest spelling, in bytes: how far back a match may start from where it ends. */
  readonly maxLength: number;
  readonly nodes: number;
  readonly #rootNext = new Int32Array(256); // 0: no child (the root is nobody's child)
  /** Children as linked lists: a node's first child, the next child of the same parent, the byte leading to it. */
  readonly #firstChild: Int32Array;
  readonly #nextSibling: Int32Array;
  readonly #byte: Uint8Array;
  readonly #fail: Int32Array;
  /** Length of the longest spelling that ends at this node (itself or through its failure chain), or 0. */
  readonly #longest: Int32Array;
  /** Next node on the failure chain where a spelling ends, or -1. */
  readonly #outLink: Int32Array;
  /** Which values (indexes into the list the matcher was built from) have a spelling ending exactly here. */
  readonly #owners = new Map<number, number[]>();

  constructor(values: readonly string[]) {
    const spellings = values.map((value) => secretSpellings(value).map((s) => encoder.encode(s)));
    let capacity = 1;
    for (const list of spellings) for (const bytes of list) capacity += bytes.byteLength;
    this.#firstChild = new Int32Array(capacity).fill(-1);
    this.#nextSibling = new Int32Array(capacity).fill(-1);
    this.#byte = new Uint8Array(capacity);
    this.#longest = new Int32Array(capacity);

    let count = 1;
    let maxLength = 0;
    spellings.forEach((list, owner) => {
      for (const bytes of list) {
        let node = ROOT;
        for (const b of bytes) {
          let child = this.#child(node, b);
          if (child === -1) {
            child = count++;
            this.#byte[child] = b;
            this.#nextSibling[child] = this.#firstChild[node]!;
            this.#firstChild[node] = child;
            if (node === ROOT) this.#rootNext[b] = child;
          }
          node = child;
        }
        this.#longest[node] = bytes.byteLength;
        const owners = this.#owners.get(node);
        if (!owners) this.#owners.set(node, [owner]);
        else if (!owners.includes(owner)) owners.push(owner);
        maxLength = Math.max(maxLength, bytes.byteLength);
      }
    });
    this.maxLength = maxLength;
    this.nodes = count;

    // Failure links breadth first: a node's link is found from its parent's, already set.
    this.#fail = new Int32Array(count);
    this.#outLink = new Int32Array(count).fill(-1);
    const queue = new Int32Array(count);
    let head = 0;
    let tail = 0;
    queue[tail++] = ROOT;
    while (head < tail) {
      const parent = queue[head++]!;
      for (let child = this.#firstChild[parent]!; child !== -1; child = this.#nextSibling[child]!) {
        const fail = parent === ROOT ? ROOT : this.step(this.#fail[parent]!, this.#byte[child]!);
        this.#fail[child] = fail;
        this.#longest[child] = Math.max(this.#longest[child]!, this.#longest[fail]!);
        this.#outLink[child] = this.#owners.has(fail) ? fail : this.#outLink[fail]!;
        queue[tail++] = child;
      }
    }
  }

  /** The child of `node` reached by `byte`, or -1. */
  #child(node: number, byte: number): number {
    if (node === ROOT) return this.#rootNext[byte]! || -1;
    for (let c = this.#firstChild[node]!; c !== -1; c = this.#nextSibling[c]!) if (this.#byte[c] === byte) return c;
    return -1;
  }

  /** The state after reading `byte` in `state` (start from 0). */
  step(state: number, byte: number): number {
    for (let s = state; s !== ROOT; s = this.#fail[s]!) {
      for (let c = this.#firstChild[s]!; c !== -1; c = this.#nextSibling[c]!) if (this.#byte[c] === byte) return c;
    }
    return this.#rootNext[byte]!;
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
