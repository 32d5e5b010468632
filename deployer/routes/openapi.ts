// Small helpers that keep route declarations short: every route answers JSON and shares the error shape.

import type { z } from "@hono/zod-openapi";
import { ErrorSchema } from "../../platform/api-schemas.ts";

export function jsonBody<T extends z.ZodType>(schema: T, description = "") {
  return { content: { "application/json": { schema } }, required: true, description };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

const ERROR_DESCRIPTIONS = {
  400: "Invalid request (code invalid_request or invalid_pulse_name)",
  401: "Missing or invalid token (token_* codes)",
  403: "The token's role may not do this (forbidden)",
  404: "Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found)",
  409: "Conflict (name_taken, no_previous_version, version_ambiguous)",
  413: "Body too large (payload_too_large)",
  422: "The source was refused or did not build (source_invalid, build_failed, bundle_too_large), or a schedule was refused (schedule_invalid, schedule_too_frequent)",
} as const;

export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { content: { "application/json": { schema: ErrorSchema } }, description: ERROR_DESCRIPTIONS[s] }]),
  ) as unknown as { [K in S]: { content: { "application/json": { schema: typeof ErrorSchema } }; description: string } };
}

export const BEARER = [{ bearer: [] }];
