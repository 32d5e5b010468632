// env.crypto of a pulse: HMACs and HS256 JWTs computed here, outside the pulse's isolate, with the value of one of
// the pulse's secrets. The pulse passes the opaque reference it holds (env.secrets.NAME) and gets back only the
// result. Bound with props the platform sets ({ pulseId }), so a reference is looked up among that pulse's
// secrets only: another pulse's reference, a forged one or a connection is unknown here. A secret signs only
// when its owner set it with allowSigning: a key meant for one API does not become a signing oracle.
//
// Only public methods are reachable over RPC: helpers are #private on purpose.

import { WorkerEntrypoint } from "cloudflare:workers";
import { cacheTtl } from "../../outbound/deps.ts";
import { loadSecrets, type ResolvedSecret } from "../../outbound/secret-store.ts";
import { countSigning } from "../../platform/per-request-counter.ts";
import { SignJWT } from "jose";
import { hmacOf, jwtRequest, MAX_SIGNING_CALLS_PER_REQUEST, verifyHmacOf } from "../../platform/secret-signing.ts";
import type { DispatcherEnv } from "../env.ts";

export interface SecretCryptoProps {
  pulseId: string;
}

/** Sent by the runtime shim as the last argument of every call: which pulse request is calling. */
interface CallMeta {
  requestId?: unknown;
}

export class SecretCrypto extends WorkerEntrypoint<DispatcherEnv, SecretCryptoProps> {
  async hmac(ref: unknown, data: unknown, options: unknown, meta?: unknown): Promise<string> {
    return hmacOf((await this.#signingSecret(ref, meta)).value, data, options);
  }

  async verifyHmac(
    ref: unknown,
    data: unknown,
    signature: unknown,
    options: unknown,
    meta?: unknown,
  ): Promise<boolean> {
    return verifyHmacOf((await this.#signingSecret(ref, meta)).value, data, signature, options);
  }

  /** An HS256 JWT of `claims`, with iat and exp (now + options.expiresIn seconds) set here. */
  async signJwt(ref: unknown, claims: unknown, options: unknown, meta?: unknown): Promise<string> {
    const request = jwtRequest(claims, options);
    const secret = await this.#signingSecret(ref, meta);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(request.claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" }) // pinned: the pulse cannot pick "none" or another algorithm
      .setIssuedAt(now)
      .setExpirationTime(now + request.expiresIn)
      .sign(new TextEncoder().encode(secret.value));
  }

  /** The pulse's own secret behind `ref`, if it may sign; counted against the calling request. */
  async #signingSecret(ref: unknown, meta: unknown): Promise<ResolvedSecret> {
    const { pulseId } = this.ctx.props;
    const requestId =
      typeof (meta as CallMeta | undefined)?.requestId === "string" ? ((meta as CallMeta).requestId as string) : null;
    if (countSigning(pulseId, requestId) > MAX_SIGNING_CALLS_PER_REQUEST) {
      throw new RangeError(
        `signing_limit_exceeded: this request used env.crypto more than ${MAX_SIGNING_CALLS_PER_REQUEST} times`,
      );
    }
    if (typeof ref !== "string") throw new TypeError("the first argument must be a secret reference: env.secrets.NAME");
    const secrets = await loadSecrets(this.env, pulseId, cacheTtl(this.env));
    const secret = secrets.find((s) => s.ref === ref && s.kind === "secret");
    if (!secret) throw new TypeError("not a secret of this pulse: pass env.secrets.NAME as it is");
    if (!secret.allowSigning) {
      throw new TypeError(`secret ${secret.name} may not be used to sign: set it again with allowSigning: true`);
    }
    return secret;
  }
}
