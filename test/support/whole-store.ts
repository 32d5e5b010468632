// Every key of the platform's KV namespace and every object of its bundle bucket, page after page. One list call
// stops at 1000 entries, and the files of a workerd project share their storage (docs/testing.md): a search or a
// count over "everything" must not stop at the first page.

import { env } from "cloudflare:workers";

/** Reads pages until one has no cursor for the next. */
async function everyPage(read: (cursor?: string) => Promise<{ names: string[]; next?: string }>): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    names.push(...page.names);
    cursor = page.next;
  } while (cursor);
  return names;
}

export const allKvKeys = () =>
  everyPage(async (cursor) => {
    const page = await env.PULSE_KV.list({ cursor });
    return { names: page.keys.map((k) => k.name), next: page.list_complete ? undefined : page.cursor };
  });

export const allBundleKeys = () =>
  everyPage(async (cursor) => {
    const page = await env.BUNDLES.list({ cursor });
    return { names: page.objects.map((o) => o.key), next: page.truncated ? page.cursor : undefined };
  });
