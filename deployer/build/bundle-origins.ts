// Which npm package a place in an uploaded file comes from. A bundle made with esbuild (the CLI's local npm
// bundling, or any developer's own) starts each module it inlines with a `// <path>` line comment, e.g.
// `// node_modules/zod/v4/core/core.js`; code after such a comment belongs to that package until the next one.
// The attribution is only as true as the bundle says: it makes a manifest readable for an admin (what hono
// needs apart from what the developer's own code needs), it never narrows a capability.

/** A module boundary: from `start` on, code belongs to `pkg` (null: the developer's own code). */
interface Boundary {
  start: number;
  pkg: string | null;
}

const MODULE_PATH = /^ (\S+\.(?:[cm]?[jt]sx?|json))$/;
const PACKAGE_IN_PATH = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/;

export class BundleOrigins {
  private readonly boundaries: Boundary[] = [];

  /** Takes a line comment (text after `//`, start offset) as the parser meets them, in source order. */
  addComment(text: string, start: number, atLineStart: boolean): void {
    if (!atLineStart) return;
    const path = MODULE_PATH.exec(text)?.[1];
    if (!path) return;
    this.boundaries.push({ start, pkg: PACKAGE_IN_PATH.exec(path)?.[1] ?? null });
  }

  /** The package the code at `offset` belongs to; null for the developer's own code. */
  packageAt(offset: number): string | null {
    let lo = 0;
    let hi = this.boundaries.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.boundaries[mid]!;
      if (b.start <= offset) {
        found = b.pkg;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
