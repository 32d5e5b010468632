// The answer of POST /v1/pulses/{name}/versions/{version}/preview: every recorded invocation replayed against a
// candidate version, side by side with what the live version answered, with the plan's limits marked. One
// schema: the control plane documents it, the data plane builds it (type only), the CLI prints it.

import { z } from "@hono/zod-openapi";

const BodySchema = z
  .object({
    bytes: z.number().int(),
    sha256: z.string().nullable(),
    text: z.string().optional(),
    base64: z.string().optional().openapi({ description: "When the body is not UTF-8" }),
    dropped: z
      .enum(["too_large", "timeout"])
      .optional()
      .openapi({ description: "Not kept: larger than the bound, or it did not finish in time" }),
  })
  .nullable()
  .openapi("RecordedBody");

export const LIMIT_NAMES = ["subrequestsPerRequest", "kvOpsPerRequest", "wallMs"] as const;
const LimitNameSchema = z.enum(LIMIT_NAMES);

const DiffEntrySchema = z.object({
  path: z.string().openapi({
    description: 'Where the outputs differ: "status", "body" or a JSON path such as "body.items[2].price"',
  }),
  live: z.unknown().optional(),
  candidate: z.unknown().optional(),
});

const InputResultSchema = z.object({
  recordedAt: z.string().openapi({ format: "date-time" }),
  requestId: z.string().openapi({ description: "The live request's id (in the pulse's logs)" }),
  request: z.object({ method: z.string(), path: z.string(), query: z.string(), dropped: z.array(z.string()) }),
  /** The recorded request body was too large to keep: the candidate got none. */
  inputIncomplete: z.boolean(),
  skipped: z.boolean().openapi({ description: "Not replayed: the preview's time budget ran out" }),
  live: z.object({
    versionId: z.string(),
    status: z.number().int(),
    body: BodySchema,
    wallMs: z.number(),
    subrequests: z.number().int(),
  }),
  candidate: z
    .object({
      status: z.number().int(),
      body: BodySchema,
      wallMs: z.number(),
      subrequests: z.number().int(),
      kvOps: z.number().int(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
      unrecordedEgress: z
        .array(z.string())
        .openapi({ description: "Requests the live version did not make: refused with replay_egress_unrecorded" }),
    })
    .nullable(),
  changed: z.boolean(),
  comparable: z
    .boolean()
    .openapi({ description: "False when a body was too large to keep, so only statuses were compared" }),
  diff: z.array(DiffEntrySchema),
  limits: z
    .array(z.object({ limit: LimitNameSchema, used: z.number(), max: z.number() }))
    .openapi({ description: "Plan limits the candidate exceeded on this input" }),
});

const OverrunSchema = z.object({
  limit: LimitNameSchema,
  max: z.number(),
  inputs: z.number().int().openapi({ description: "Inputs on which the candidate exceeded it" }),
  liveInputs: z.number().int().openapi({ description: "Inputs on which the live version did" }),
  message: z.string().openapi({ example: "this version would exceed free's 5 subrequests on 3 of 20 inputs" }),
});

export const PreviewReportSchema = z
  .object({
    pulse: z.string(),
    plan: z.string(),
    liveVersionId: z.string(),
    candidateVersionId: z.string(),
    isolation: z.object({
      kvKeysCopied: z.number().int(),
      kvCopyComplete: z.boolean(),
      sqlRowsCopied: z.number().int(),
      sqlCopyComplete: z.boolean(),
      sqlCopyError: z.string().optional(),
    }),
    summary: z.object({
      inputs: z.number().int(),
      replayed: z.number().int(),
      changed: z.number().int(),
      unchanged: z.number().int(),
      notComparable: z.number().int(),
      candidateErrors: z.number().int().openapi({ description: "Inputs the candidate answered with a 5xx" }),
      liveErrors: z.number().int(),
      overruns: z.array(OverrunSchema),
      messages: z.array(z.string()),
    }),
    results: z.array(InputResultSchema),
  })
  .openapi("PreviewReport");

export type PreviewReport = z.infer<typeof PreviewReportSchema>;
export type PreviewInputResult = z.infer<typeof InputResultSchema>;
export type PreviewDiffEntry = z.infer<typeof DiffEntrySchema>;
export type PreviewOverrun = z.infer<typeof OverrunSchema>;
export type LimitName = (typeof LIMIT_NAMES)[number];

export const PreviewRequestSchema = z
  .object({
    inputs: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: "Replay only the newest n recorded invocations (default: all the plan keeps)" }),
  })
  .openapi("PreviewRequest");
