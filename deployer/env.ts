// Bindings of the control-plane Worker (declared in deployer/wrangler.jsonc).

import type { DataPlaneSeam } from "../platform/data-plane-seam.ts";

/** The data plane as the control plane reaches it (declared once: platform/data-plane-seam.ts). */
export type RouteControlRpc = DataPlaneSeam;
export type { LogEntry as LogEntryWire } from "../platform/data-plane-seam.ts";

export interface DeployerEnv {
  /** Platform D1. */
  DB: D1Database;
  /** Content-addressed bundles. */
  BUNDLES: R2Bucket;
  /** The namespace behind every env.kv: the control plane empties a pulse's prefix when the pulse is deleted. */
  PULSE_KV: KVNamespace;
  /** The dispatcher's RouteControl entrypoint: the whole seam with the data plane. */
  ROUTES?: Service & RouteControlRpc;
  /** Public keys that verify control-plane tokens: a JWKS as JSON, every key with a kid. A secret in production. */
  AUTH_JWKS?: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  /** Private JWK (with kid, alg EdDSA or ES256) that signs developer tokens issued by admins. A secret. */
  AUTH_SIGNING_JWK?: string;
  /** AES-256-GCM keyring that seals secret values (same value as the dispatcher's). A secret. */
  SECRETS_KEYRING?: string;
  /** "worker-loader" (default) or "dispatch-namespace": then every version is uploaded to DISPATCH_NAMESPACE. */
  SCRIPT_HOST?: string;
  CLOUDFLARE_ACCOUNT_ID?: string;
  /** API token with Workers Scripts:Edit and D1:Edit on the account. A secret. */
  CLOUDFLARE_API_TOKEN?: string;
  DISPATCH_NAMESPACE?: string;
  /** Scripts kept per pulse besides the live one (deployer/limits.ts: DEFAULT_SCRIPT_ROLLBACK_DEPTH). */
  SCRIPT_ROLLBACK_DEPTH?: string;
  /** HMAC key of secret references (same value as the dispatcher's): uploaded scripts carry env.secrets. A secret. */
  SECRET_REF_KEY?: string;
  /** Sandbox containers for server-side builds (Cloudflare only; see deployer/build/sandbox-factory.ts). */
  SANDBOX?: DurableObjectNamespace;
  /** Who proves custom domains: "dns" (default: a TXT record, asked of DNS_RESOLVER_URL) or "cloudflare". */
  DOMAIN_VERIFIER?: string;
  /** A DNS-over-HTTPS JSON endpoint (default https://cloudflare-dns.com/dns-query). */
  DNS_RESOLVER_URL?: string;
  /** DOMAIN_VERIFIER=cloudflare: the zone custom hostnames are added to (Cloudflare for SaaS). */
  CLOUDFLARE_ZONE_ID?: string;
  /** How a pulse's public URL is spelled, "{name}" replaced: "https://{name}.pulses.example.com". */
  PULSE_URL_TEMPLATE?: string;
}
