// What the outbound policy reads from its Worker's env: the dispatcher's on workerd (OutboundGate runs there),
// the namespace outbound Worker's on Cloudflare.

export interface OutboundEnv {
  /** Platform D1: egress rules and sealed secrets. */
  DB: D1Database;
  /** AES-256-GCM keyring for secret values, JSON: {"primary":"k1","keys":{"k1":"<base64 32 bytes>"}}. A secret. */
  SECRETS_KEYRING?: string;
  /** HMAC key (base64, >= 32 bytes) that derives secret references. A secret. */
  SECRET_REF_KEY?: string;
  /** Comma-separated hosts of the platform itself (the base domain is always included). */
  PLATFORM_HOSTS?: string;
  BASE_DOMAIN?: string;
  /**
   * Dev/test only: JSON {"upstream.test": "UPSTREAM_TEST"} maps an allowed host to a service binding, so
   * tests have upstreams that answer; {"loopback.test": "http://127.0.0.1:8123"} sends an allowed host's
   * requests to that origin through the gate's own fetch() (a real server, redirects and network errors).
   * Applied after the policy check, so it never opens an internal address to a URL a pulse writes.
   */
  EGRESS_UPSTREAMS?: string;
  /** How long egress policies and decrypted secrets are cached per isolate, ms. Default 1000. */
  EGRESS_CACHE_TTL_MS?: string;
}
