// The Cloudflare verifier: each custom domain is a custom hostname in the platform's zone (Cloudflare for
// SaaS), created when the developer adds it and deleted when it is removed or revoked. Cloudflare checks
// ownership and issues the certificate; a check asks for the hostname's status and counts it verified once
// Cloudflare reports it active. Calls and their shapes, from the API reference:
//   POST   /zones/{zone_id}/custom_hostnames        { hostname, ssl: { method, type } }
//   GET    /zones/{zone_id}/custom_hostnames/{id}
//   DELETE /zones/{zone_id}/custom_hostnames/{id}
// https://developers.cloudflare.com/api/resources/custom_hostnames/ and, for ownership_verification (TXT) and
// ownership_verification_http, https://developers.cloudflare.com/cloudflare-for-platforms/cloudflare-for-saas/domain-support/hostname-validation/pre-validation/
// Contract-tested against those shapes (test/cloudflare-custom-hostnames.test.ts); never run against Cloudflare here.

// Deep imports and only the resource used: the package's index and full client carry every API resource.
import { APIError } from "cloudflare/core/error";
import { BaseCustomHostnames } from "cloudflare/resources/custom-hostnames/custom-hostnames";
import { createClient, type PartialCloudflare } from "cloudflare/tree-shakable";
import { ApiError } from "../../platform/errors.ts";
import type { Challenge, DomainCheck, DomainClaim, DomainVerifier } from "./verifier.ts";

export interface CloudflareCustomHostnamesOptions {
  zoneId: string;
  apiToken: string;
  /** Tests point these at a stand-in of the API. */
  baseURL?: string;
  fetch?: typeof fetch;
  maxRetries?: number;
}

/**
 * DCV over HTTP: Cloudflare validates the certificate by itself once the hostname's CNAME points at the zone,
 * so the developer's one extra step is the ownership TXT record (or the HTTP file) Cloudflare asks for.
 */
const SSL = { method: "http", type: "dv" } as const;

interface CustomHostname {
  id: string;
  status?: string;
  verification_errors?: string[];
  ownership_verification?: { type?: string; name?: string; value?: string };
  ownership_verification_http?: { http_url?: string; http_body?: string };
  ssl?: { status?: string } | null;
}

export class CloudflareCustomHostnames implements DomainVerifier {
  readonly kind = "cloudflare";
  readonly #client: PartialCloudflare<{ customHostnames: BaseCustomHostnames }>;
  readonly #zoneId: string;

  constructor(options: CloudflareCustomHostnamesOptions) {
    for (const key of ["zoneId", "apiToken"] as const) {
      if (!options[key]) throw new Error(`CloudflareCustomHostnames needs ${key}`);
    }
    this.#zoneId = options.zoneId;
    this.#client = createClient({
      resources: [BaseCustomHostnames],
      apiToken: options.apiToken,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      maxRetries: options.maxRetries ?? 2,
      timeout: 30_000,
    });
  }

  async register(hostname: string): Promise<{ providerId: string; challenge: Challenge }> {
    const created = (await this.#call("custom hostname create", () =>
      this.#client.customHostnames.create({ zone_id: this.#zoneId, hostname, ssl: SSL }),
    )) as CustomHostname;
    const challenge: Challenge = {};
    const txt = created.ownership_verification;
    if (txt?.name && txt.value) challenge.dns = { type: "TXT", name: txt.name, value: txt.value };
    const http = created.ownership_verification_http;
    if (http?.http_url && http.http_body) challenge.http = { url: http.http_url, body: http.http_body };
    return { providerId: created.id, challenge };
  }

  async check(claim: DomainClaim): Promise<DomainCheck> {
    if (!claim.providerId) return { verified: false, reason: "The hostname was never registered with Cloudflare" };
    const providerId = claim.providerId;
    const found = (await this.#call("custom hostname read", () =>
      this.#client.customHostnames.get(providerId, { zone_id: this.#zoneId }),
    )) as CustomHostname;
    if (found.status === "active") return { verified: true };
    const errors = found.verification_errors?.length ? `: ${found.verification_errors.join("; ")}` : "";
    return { verified: false, reason: `Cloudflare reports the hostname ${found.status ?? "unknown"}${errors}` };
  }

  async release(claim: DomainClaim): Promise<void> {
    if (!claim.providerId) return;
    const providerId = claim.providerId;
    try {
      await this.#client.customHostnames.delete(providerId, { zone_id: this.#zoneId });
    } catch (error) {
      // Already gone is gone.
      if (error instanceof APIError && error.status === 404) return;
      throw error;
    }
  }

  /** Cloudflare's own messages go to the logs; the developer gets a code and a safe sentence. */
  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof APIError)) throw error;
      console.error(`Cloudflare ${operation} failed (HTTP ${error.status}):`, JSON.stringify(error.errors ?? []));
      // A conflict is the hostname being in use in the zone; every other refusal is ours to look into, not the developer's.
      if (error.status === 409) {
        throw new ApiError("hostname_taken", "Cloudflare already has this hostname in use");
      }
      throw new ApiError(
        "domain_check_unavailable",
        "Cloudflare could not be asked about this hostname; retry shortly",
      );
    }
  }
}
