// A version's capability manifest: what its code needs (env.db, secrets, connections, egress hosts, schedules,
// bundle size), derived by the deployer at build time from the source, and the diff between two manifests that
// a developer sees on upload and an admin sees before approving. Static analysis has limits: the manifest says
// where it could not see (dynamicFetch, dynamicSecrets, dynamicSchedule) instead of pretending.

import { z } from "@hono/zod-openapi";

/** 2: parsed with a real parser, per-package findings and warnings (a format-1 manifest is derived again). */
export const MANIFEST_FORMAT = 2;

/** At most this many unresolved fetch targets are listed (the flag says there are some). */
export const MAX_LISTED_DYNAMIC_TARGETS = 20;

const names = z.array(z.string());

export const PackageCapabilitiesSchema = z
  .object({
    name: z.string().openapi({ example: "hono" }),
    usesDb: z.boolean(),
    secrets: names,
    connections: names,
    dynamicSecrets: z.boolean(),
    hosts: names,
    dynamicFetch: z.boolean(),
  })
  .openapi("PackageCapabilities", {
    description: "What the code a bundle attributes to one npm package asks for (already counted in the totals)",
  });

export type PackageCapabilities = z.infer<typeof PackageCapabilitiesSchema>;

export const ManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    usesDb: z.boolean().openapi({ description: "Reads env.db or env.Pro_User_Binding" }),
    secrets: names.openapi({ description: "env.secrets.NAME referenced", example: ["STRIPE_KEY"] }),
    connections: names.openapi({ description: "env.connections.NAME referenced" }),
    dynamicSecrets: z.boolean().openapi({
      description:
        "env.secrets or env.connections is read with a computed name or used whole: the names above may be incomplete",
    }),
    egress: z.object({
      hosts: names.openapi({
        description:
          "Hosts of http(s) URLs given to fetch() as literals (or constants and templates that fix the host)",
        example: ["api.stripe.com"],
      }),
      dynamicFetch: z.boolean().openapi({
        description:
          "Some fetch() target (or fetch itself, passed around) could not be resolved: the hosts above may be incomplete",
      }),
      dynamicTargets: z
        .array(
          z.object({
            file: z.string(),
            target: z.string(),
            package: z.string().optional().openapi({
              description: "The npm package the code is attributed to; absent for the developer's own code",
            }),
          }),
        )
        .openapi({
          description: `The unresolved targets, as written, the developer's own first (at most ${MAX_LISTED_DYNAMIC_TARGETS})`,
        }),
    }),
    schedules: names.openapi({ description: "Cron expressions of `export const schedule`", example: ["*/5 * * * *"] }),
    dynamicSchedule: z
      .boolean()
      .openapi({ description: "`schedule` is exported but is not a string literal or an array of them" }),
    bundleBytes: z.number().int(),
    files: names.openapi({ description: "Uploaded files the build reached (the ones scanned)" }),
    packages: z
      .array(PackageCapabilitiesSchema)
      .openapi({ description: "The same findings per npm package, for bundles that say where their code came from" }),
    warnings: names.openapi({
      description: "What the scan could not analyse, and the conservative answer it gave instead",
    }),
  })
  .openapi("Manifest");

export type Manifest = z.infer<typeof ManifestSchema>;

export const ManifestDiffSchema = z
  .object({
    against: z.string().nullable().openapi({
      description: "The live version compared with; null when nothing is live (everything counts as added)",
    }),
    added: z.object({ hosts: names, secrets: names, connections: names, schedules: names }),
    removed: z.object({ hosts: names, secrets: names, connections: names, schedules: names }),
    usesDb: z
      .object({ from: z.boolean(), to: z.boolean() })
      .nullable()
      .openapi({ description: "Set when env.db use changes" }),
    dynamicFetch: z.object({ from: z.boolean(), to: z.boolean() }).nullable(),
    dynamicSecrets: z.object({ from: z.boolean(), to: z.boolean() }).nullable(),
    bundleBytes: z.object({ from: z.number().int().nullable(), to: z.number().int() }),
    /** What an approval is about: new hosts, secrets or connections, or fetches that can no longer be named. */
    addsEgressOrSecrets: z.boolean(),
    sentences: z.array(z.string()).openapi({ example: ["now also calls api.stripe.com", "now uses env.db"] }),
  })
  .openapi("ManifestDiff");

export type ManifestDiff = z.infer<typeof ManifestDiffSchema>;

/** The manifest of "nothing live": the base of a first deploy's diff. */
export const EMPTY_MANIFEST: Manifest = {
  format: MANIFEST_FORMAT,
  usesDb: false,
  secrets: [],
  connections: [],
  dynamicSecrets: false,
  egress: { hosts: [], dynamicFetch: false, dynamicTargets: [] },
  schedules: [],
  dynamicSchedule: false,
  bundleBytes: 0,
  files: [],
  packages: [],
  warnings: [],
};

export function parseManifest(json: string | null | undefined): Manifest | null {
  if (!json) return null;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What changes when `next` replaces `live` (null: nothing live, so everything in `next` is new). */
export function diffManifests(live: { versionId: string; manifest: Manifest } | null, next: Manifest): ManifestDiff {
  const base = live?.manifest ?? EMPTY_MANIFEST;
  const change = (from: boolean, to: boolean) => (from === to ? null : { from, to });
  const diff: Omit<ManifestDiff, "sentences" | "addsEgressOrSecrets"> = {
    against: live?.versionId ?? null,
    added: {
      hosts: minus(next.egress.hosts, base.egress.hosts),
      secrets: minus(next.secrets, base.secrets),
      connections: minus(next.connections, base.connections),
      schedules: minus(next.schedules, base.schedules),
    },
    removed: {
      hosts: minus(base.egress.hosts, next.egress.hosts),
      secrets: minus(base.secrets, next.secrets),
      connections: minus(base.connections, next.connections),
      schedules: minus(base.schedules, next.schedules),
    },
    usesDb: change(base.usesDb, next.usesDb),
    dynamicFetch: change(base.egress.dynamicFetch, next.egress.dynamicFetch),
    dynamicSecrets: change(base.dynamicSecrets, next.dynamicSecrets),
    bundleBytes: { from: live ? base.bundleBytes : null, to: next.bundleBytes },
  };
  const addsEgressOrSecrets =
    diff.added.hosts.length > 0 ||
    diff.added.secrets.length > 0 ||
    diff.added.connections.length > 0 ||
    diff.dynamicFetch?.to === true ||
    diff.dynamicSecrets?.to === true;
  return {
    ...diff,
    addsEgressOrSecrets,
    sentences: [...describe(diff), ...packageChanges(base.packages, next.packages)],
  };
}

/** "hono: fetches computed targets" for each package whose needs are new or changed since the live version. */
function packageChanges(live: PackageCapabilities[], next: PackageCapabilities[]): string[] {
  const before = new Map(live.map((p) => [p.name, packageSentence(p)]));
  return next.map(packageSentence).filter((s, i) => s !== null && before.get(next[i]!.name) !== s) as string[];
}

export function packageSentence(p: PackageCapabilities): string | null {
  const parts: string[] = [];
  if (p.hosts.length) parts.push(`calls ${p.hosts.join(", ")}`);
  if (p.dynamicFetch) parts.push("fetches computed targets");
  if (p.usesDb) parts.push("uses env.db");
  if (p.secrets.length) parts.push(`reads ${plural("secret", p.secrets)} ${p.secrets.join(", ")}`);
  if (p.connections.length) parts.push(`uses ${plural("connection", p.connections)} ${p.connections.join(", ")}`);
  if (p.dynamicSecrets) parts.push("reads secrets or connections by computed names");
  return parts.length ? `package ${p.name}: ${parts.join("; ")}` : null;
}

function describe(d: Omit<ManifestDiff, "sentences" | "addsEgressOrSecrets">): string[] {
  const out: string[] = [];
  const list = (items: string[]) => items.join(", ");
  if (d.added.hosts.length) out.push(`now ${d.against ? "also " : ""}calls ${list(d.added.hosts)}`);
  if (d.removed.hosts.length) out.push(`no longer calls ${list(d.removed.hosts)}`);
  if (d.dynamicFetch?.to)
    out.push("now fetches targets that cannot be read from the source (hosts not known before it runs)");
  if (d.dynamicFetch?.from) out.push("every fetch target can now be read from the source");
  if (d.usesDb?.to) out.push("now uses env.db");
  if (d.usesDb?.from) out.push("no longer uses env.db");
  if (d.added.secrets.length) out.push(`now reads ${plural("secret", d.added.secrets)} ${list(d.added.secrets)}`);
  if (d.removed.secrets.length)
    out.push(`no longer reads ${plural("secret", d.removed.secrets)} ${list(d.removed.secrets)}`);
  if (d.added.connections.length)
    out.push(`now uses ${plural("connection", d.added.connections)} ${list(d.added.connections)}`);
  if (d.removed.connections.length)
    out.push(`no longer uses ${plural("connection", d.removed.connections)} ${list(d.removed.connections)}`);
  if (d.dynamicSecrets?.to) out.push("now reads secrets or connections by computed names");
  if (d.added.schedules.length)
    out.push(`now runs on ${plural("schedule", d.added.schedules)} ${list(d.added.schedules.map((s) => `"${s}"`))}`);
  if (d.removed.schedules.length)
    out.push(
      `no longer runs on ${plural("schedule", d.removed.schedules)} ${list(d.removed.schedules.map((s) => `"${s}"`))}`,
    );
  if (out.length === 0)
    out.push(d.against ? "no change in what it uses or calls" : "uses no env.db, secrets, connections or egress hosts");
  if (d.bundleBytes.from !== null && d.bundleBytes.from !== d.bundleBytes.to) {
    out.push(
      `bundle ${d.bundleBytes.to > d.bundleBytes.from ? "grows" : "shrinks"} from ${d.bundleBytes.from} to ${d.bundleBytes.to} bytes`,
    );
  }
  return out;
}

const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
const plural = (word: string, items: string[]) => (items.length === 1 ? word : `${word}s`);
