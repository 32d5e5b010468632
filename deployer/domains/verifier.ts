// How a custom domain's ownership is proven, behind one interface: locally a DNS TXT record checked through a
// resolver (dns-verifier.ts), on Cloudflare a custom hostname in the platform's zone (Cloudflare for SaaS,
// cloudflare-verifier.ts). An admin can also mark a domain verified (routes/domains.ts), whatever the verifier.

import type { DeployerEnv } from "../env.ts";
import { CloudflareCustomHostnames } from "./cloudflare-verifier.ts";
import { createDohResolver, DnsTxtVerifier } from "./dns-verifier.ts";
import { DEFAULT_DNS_RESOLVER_URL } from "./limits.ts";

/** What the developer must publish: a TXT record, or a file at an HTTP URL (Cloudflare offers both). */
export interface Challenge {
  dns?: { type: "TXT"; name: string; value: string };
  http?: { url: string; body: string };
}

export interface DomainClaim {
  hostname: string;
  token: string;
  /** The verifier's own id for the hostname (a Cloudflare custom hostname id); null locally. */
  providerId: string | null;
}

export type DomainCheck = { verified: true } | { verified: false; reason: string };

export interface DomainVerifier {
  readonly kind: "dns" | "cloudflare";
  /** Sets the hostname up where the verifier needs it; returns what the developer must publish. */
  register(hostname: string, token: string): Promise<{ providerId: string | null; challenge: Challenge }>;
  /** Whether the proof is in place now. Throws ApiError domain_check_unavailable when it cannot be asked. */
  check(claim: DomainClaim): Promise<DomainCheck>;
  /** After the claim is gone from the database: whatever register set up. */
  release(claim: DomainClaim): Promise<void>;
}

/** DOMAIN_VERIFIER=cloudflare: Cloudflare for SaaS (needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN); else DNS. */
export function domainVerifierFor(env: DeployerEnv): DomainVerifier {
  if (env.DOMAIN_VERIFIER === "cloudflare") {
    return new CloudflareCustomHostnames({
      zoneId: env.CLOUDFLARE_ZONE_ID ?? "",
      apiToken: env.CLOUDFLARE_API_TOKEN ?? "",
    });
  }
  return new DnsTxtVerifier(createDohResolver(env.DNS_RESOLVER_URL ?? DEFAULT_DNS_RESOLVER_URL));
}
