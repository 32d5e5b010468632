// One egress rule as the control API accepts it and the outbound policy applies it (outbound/rules.ts): declared
// in the shared library so the API's schemas and the data plane's policy read the same definition.

import { z } from "zod";

export const HOST_PATTERN = /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

export const EgressRuleSchema = z.object({
  action: z.enum(["allow", "deny"]),
  /** "api.example.com", "*.example.com" (subdomains only) or "*" (any host). Lowercase, punycode for IDN. */
  host: z.string().max(253).regex(HOST_PATTERN, 'must be a host name, "*.domain" or "*"'),
  /** Default: both. */
  schemes: z
    .array(z.enum(["http", "https"]))
    .min(1)
    .optional(),
  /** Default: any port. */
  ports: z.array(z.number().int().min(1).max(65535)).min(1).max(32).optional(),
});

export type EgressRule = z.infer<typeof EgressRuleSchema>;
