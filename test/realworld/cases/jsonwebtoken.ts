// jsonwebtoken: Node's JWT library (node:crypto, Buffer, streams under nodejs_compat): sign and verify HS256.
import jwt from "jsonwebtoken";

export default async function run() {
  const token = jwt.sign({ sub: "user-1", iat: 1_700_000_000, exp: 4_000_000_000 }, "a-fixed-secret", {
    algorithm: "HS256",
  });
  const payload = jwt.verify(token, "a-fixed-secret", { algorithms: ["HS256"] }) as jwt.JwtPayload;
  let wrongKey = "accepted";
  try {
    jwt.verify(token, "another-secret", { algorithms: ["HS256"] });
  } catch (error) {
    wrongKey = (error as Error).message;
  }
  return { token, sub: payload.sub, wrongKey };
}
