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
    statuses.map((s) => [
      s,
      { content: { "application/json": { schema: ErrorSchema } }, description: ERROR_DESCRIPTIONS[s] },
    ]),
  ) as unknown as {
    [K in S]: { content: { "application/json": { schema: typeof ErrorSchema } }; description: string };
  };
}

export const BEARER = [{ bearer: [] }];

/** operationId of a route declared once for several resources: operationId("read", "pulse", "egress") -> readPulseEgress. */
export function operationId(verb: string, ...nouns: string[]): string {
  return verb + nouns.map((n) => n.charAt(0).toUpperCase() + n.slice(1)).join("");
}

type SchemaNode = Record<string, unknown>;
const COMPOSITIONS = ["allOf", "anyOf", "oneOf"] as const;

const isObject = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** `{ nullable: true }` with nothing it could widen: what zod-to-openapi writes for z.unknown() and for null members. */
const isBareNullable = (s: unknown) =>
  isObject(s) &&
  s.nullable === true &&
  s.type === undefined &&
  s.$ref === undefined &&
  !COMPOSITIONS.some((k) => k in s);

/**
 * OpenAPI 3.0 lets `nullable` only widen a stated `type` (linters refuse it alone), but zod-to-openapi writes it
 * bare for z.unknown(), for a nullable registered schema (`allOf: [$ref, { nullable }]`) and for the null member
 * of a union. Rewritten in place to the 3.0 forms that say the same thing: a schema without a type already admits
 * null; a nullable reference states the referenced type beside `allOf`; a null member admits null only.
 */
export function withOpenApi30Nullables<D extends object>(document: D): D {
  const schemas = (document as { components?: { schemas?: Record<string, SchemaNode> } }).components?.schemas ?? {};
  const typeOfRef = (ref: unknown) => (typeof ref === "string" ? schemas[ref.split("/").pop()!]?.type : undefined);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isObject(node)) return;
    for (const key of COMPOSITIONS) {
      const members = node[key];
      if (!Array.isArray(members) || !members.some(isBareNullable)) continue;
      if (key === "allOf") {
        node.allOf = members.filter((m) => !isBareNullable(m));
        node.type ??= (node.allOf as SchemaNode[]).map((m) => typeOfRef(m.$ref)).find(Boolean) ?? "object";
        node.nullable = true;
      } else {
        node[key] = members.map((m) => (isBareNullable(m) ? { type: "object", nullable: true, enum: [null] } : m));
      }
    }
    if (isBareNullable(node)) delete node.nullable;
    Object.values(node).forEach(visit);
  };
  visit(document);
  return document;
}
