// Custom domains: a pulse's developers add a hostname, publish the proof the answer names, verify, list and
// remove; admins list every domain, mark one verified (vouching for it) and revoke one. Every call is a
// mutating /v1 call or a read, so the audit log records add, verify, remove, mark and revoke.

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NameParamSchema } from "../../platform/api-schemas.ts";
import type { ControlApp } from "../context.ts";
import {
  addDomain,
  findPulseDomain,
  listPulseDomains,
  markVerified,
  removeDomain,
  toDomain,
  verifyDomain,
} from "../domains/service.ts";
import { domainVerifierFor } from "../domains/verifier.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const HostnameSchema = z
  .string()
  .min(1)
  .max(300)
  .openapi({ example: "app.example.com", description: "A full hostname; Unicode names are stored as punycode" });

const ChallengeSchema = z
  .object({
    dns: z
      .object({
        type: z.literal("TXT"),
        name: z.string().openapi({ example: "_pulse-challenge.app.example.com" }),
        value: z.string(),
      })
      .optional()
      .openapi({ description: "Publish a TXT record with this name and value" }),
    http: z
      .object({ url: z.string(), body: z.string() })
      .optional()
      .openapi({ description: "Or serve this body at this URL (Cloudflare's HTTP ownership check)" }),
  })
  .openapi("DomainChallenge");

const DomainSchema = z
  .object({
    hostname: z.string().openapi({ example: "app.example.com" }),
    pulse: z.string(),
    tenantId: z.string(),
    status: z.enum(["pending", "verified"]),
    verifier: z.string().openapi({ description: '"dns" or "cloudflare"' }),
    challenge: ChallengeSchema,
    lastCheck: z.string().nullable().openapi({ description: "Why the last verification failed" }),
    url: z.string(),
    createdAt: z.string(),
    verifiedAt: z.string().nullable(),
  })
  .openapi("CustomDomain");

const DomainListSchema = z.object({ domains: z.array(DomainSchema) }).openapi("CustomDomains");
const PulseDomainParams = NameParamSchema.extend({
  hostname: HostnameSchema.openapi({ param: { name: "hostname", in: "path" } }),
});
const HostnameParams = z.object({ hostname: HostnameSchema.openapi({ param: { name: "hostname", in: "path" } }) });
const RemovedSchema = z.object({ removed: z.literal(true), hostname: z.string() }).openapi("CustomDomainRemoved");

const addRoute = createRoute({
  method: "post",
  operationId: "addPulseDomain",
  path: "/v1/pulses/{name}/domains",
  summary: "Add a custom domain",
  description:
    "Claims the hostname for this pulse and answers what to publish to prove it is yours. It is routed to the pulse once verified. Adding a hostname the pulse already has answers that claim (200).",
  security: BEARER,
  request: { params: NameParamSchema, body: jsonBody(z.object({ hostname: HostnameSchema }).openapi("AddDomain")) },
  responses: {
    201: jsonResponse(DomainSchema, "Claimed, pending verification"),
    200: jsonResponse(DomainSchema, "The pulse already has this hostname"),
    ...errorResponses(400, 401, 404, 409),
  },
});

const listRoute = createRoute({
  method: "get",
  operationId: "listPulseDomains",
  path: "/v1/pulses/{name}/domains",
  summary: "List the pulse's custom domains",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: { 200: jsonResponse(DomainListSchema, "By hostname"), ...errorResponses(401, 404) },
});

const verifyRoute = createRoute({
  method: "post",
  operationId: "verifyPulseDomain",
  path: "/v1/pulses/{name}/domains/{hostname}/verify",
  summary: "Check a custom domain's proof",
  description:
    "Asks the verifier now (a DNS lookup, or Cloudflare's status of the custom hostname). 409 domain_not_verified says what was found; call again once the record is published.",
  security: BEARER,
  request: { params: PulseDomainParams },
  responses: { 200: jsonResponse(DomainSchema, "Verified: routed to the pulse"), ...errorResponses(401, 404, 409) },
});

const removeRoute = createRoute({
  method: "delete",
  operationId: "removePulseDomain",
  path: "/v1/pulses/{name}/domains/{hostname}",
  summary: "Remove a custom domain",
  description: "It stops routing to the pulse at once.",
  security: BEARER,
  request: { params: PulseDomainParams },
  responses: { 200: jsonResponse(RemovedSchema, "Removed"), ...errorResponses(401, 404) },
});

const adminListRoute = createRoute({
  method: "get",
  operationId: "listAllDomains",
  path: "/v1/admin/domains",
  summary: "List every custom domain (admins)",
  security: BEARER,
  responses: { 200: jsonResponse(DomainListSchema, "By hostname"), ...errorResponses(401, 403) },
});

const adminVerifyRoute = createRoute({
  method: "post",
  operationId: "markDomainVerified",
  path: "/v1/admin/domains/{hostname}/verify",
  summary: "Mark a custom domain verified (admins)",
  description: "The admin vouches for the hostname without a check; it is routed to its pulse at once.",
  security: BEARER,
  request: { params: HostnameParams },
  responses: { 200: jsonResponse(DomainSchema, "Verified"), ...errorResponses(401, 403, 404) },
});

const revokeRoute = createRoute({
  method: "delete",
  operationId: "revokeDomain",
  path: "/v1/admin/domains/{hostname}",
  summary: "Revoke a custom domain (admins)",
  description: "It stops routing at once and the hostname is free to be claimed again.",
  security: BEARER,
  request: { params: HostnameParams },
  responses: { 200: jsonResponse(RemovedSchema, "Revoked"), ...errorResponses(401, 403, 404) },
});

export function registerDomainRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(addRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const { hostname } = c.req.valid("json");
    const verifier = domainVerifierFor(c.env);
    const { row, created } = await addDomain(c.env, pulse, hostname, verifier, c.req.header("host"));
    return c.json(toDomain(row, c.env), created ? 201 : 200);
  });

  app.openapi(listRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const rows = await listPulseDomains(c.env, pulse.id);
    return c.json({ domains: rows.map((row) => toDomain(row, c.env)) }, 200);
  });

  app.openapi(verifyRoute, async (c) => {
    const { name, hostname } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const row = await findPulseDomain(c.env, pulse.id, hostname);
    return c.json(toDomain(await verifyDomain(c.env, row, domainVerifierFor(c.env)), c.env), 200);
  });

  app.openapi(removeRoute, async (c) => {
    const { name, hostname } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const row = await findPulseDomain(c.env, pulse.id, hostname);
    await removeDomain(c.env, row, domainVerifierFor(c.env));
    return c.json({ removed: true as const, hostname: row.hostname }, 200);
  });

  app.openapi(adminListRoute, async (c) => {
    const rows = await listPulseDomains(c.env);
    return c.json({ domains: rows.map((row) => toDomain(row, c.env)) }, 200);
  });

  app.openapi(adminVerifyRoute, async (c) => {
    const row = await findPulseDomain(c.env, null, c.req.valid("param").hostname);
    return c.json(toDomain(await markVerified(c.env, row, c.get("principal").sub), c.env), 200);
  });

  app.openapi(revokeRoute, async (c) => {
    const row = await findPulseDomain(c.env, null, c.req.valid("param").hostname);
    await removeDomain(c.env, row, domainVerifierFor(c.env));
    return c.json({ removed: true as const, hostname: row.hostname }, 200);
  });
}
