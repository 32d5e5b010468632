// The answer of GET /v1/admin/runtime/cells: what the data plane has sent its runtime cells and not had back.
// One schema: the control plane documents it, the dispatcher builds it (type only), the local watchdog reads it
// to know what a cell was running when it stopped answering, and which isolates to watch the heaps of.

import { z } from "@hono/zod-openapi";

export const CellRequestSchema = z
  .object({
    requestId: z.string(),
    cell: z.number().int(),
    pulseId: z.string(),
    pulseName: z.string(),
    versionId: z.string(),
    isolate: z.string().openapi({ description: "The Worker Loader's name of the isolate running the version" }),
    startedAt: z.number().openapi({
      description:
        "When the cell could start running it (ms since the epoch): when it was sent, or when the front answered " +
        "the cell's load of the version's code",
    }),
    lastDeliveredAt: z.number().openapi({
      description:
        "The last thing the cell was handed for it: its start, or the front's answer to a call its pulse made " +
        "(per pulse: env.kv, env.db, env.crypto, fetch)",
    }),
    waitingOnFront: z
      .boolean()
      .openapi({ description: "Its pulse has a call the front is still answering: it is waiting, not running" }),
  })
  .openapi("CellRequest");

export const CellIsolateSchema = z
  .object({
    isolate: z.string(),
    cell: z.number().int(),
    pulseId: z.string(),
    versionId: z.string(),
    lastSentAt: z.number(),
  })
  .openapi("CellIsolate");

export const ProbationEntrySchema = z
  .object({
    pulseId: z.string(),
    until: z.number().openapi({ description: "When its code leaves the probation cell (ms since the epoch)" }),
    reason: z.string().max(200).openapi({ description: "What the watchdog saw" }),
  })
  .openapi("ProbationEntry");

export const CellPlacementSchema = z
  .object({
    probationCell: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The cell that runs code on probation (null with fewer than two cells)" }),
    graduateAfter: z
      .number()
      .int()
      .openapi({ description: "Answers a version needs from its cells before it leaves probation" }),
    suspects: z.array(ProbationEntrySchema).openapi({ description: "Pulses on probation because of the watchdog" }),
  })
  .openapi("CellPlacement");

export const CellTrafficSchema = z
  .object({
    now: z.number().openapi({ description: "The data plane's clock when it answered (ms since the epoch)" }),
    requests: z.array(CellRequestSchema).openapi({ description: "Sent to a cell and not answered yet" }),
    isolates: z.array(CellIsolateSchema).openapi({ description: "Sent a request after `since` (at most 10 s ago)" }),
    placement: CellPlacementSchema,
  })
  .openapi("CellTraffic");

export type CellRequest = z.infer<typeof CellRequestSchema>;
export type CellIsolate = z.infer<typeof CellIsolateSchema>;
export type CellTraffic = z.infer<typeof CellTrafficSchema>;
export type ProbationEntry = z.infer<typeof ProbationEntrySchema>;
export type CellPlacement = z.infer<typeof CellPlacementSchema>;
