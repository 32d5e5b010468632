// jose: sign an HS256 JWT with a fixed key and time, verify it with pinned algorithms, refuse a tampered one.
import { jwtVerify, SignJWT } from "jose";

const key = new TextEncoder().encode("a-fixed-256-bit-secret-for-tests!");

export default async function run() {
  const token = await new SignJWT({ role: "admin" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("user-1")
    .setIssuedAt(1_700_000_000)
    .setExpirationTime(4_000_000_000)
    .sign(key);
  const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ["HS256"] });
  const tampered = await jwtVerify(`${token.slice(0, -2)}AA`, key, { algorithms: ["HS256"] }).then(
    () => "accepted",
    (e: Error & { code?: string }) => e.code,
  );
  return { token, sub: payload.sub, role: payload.role, alg: protectedHeader.alg, tampered };
}
