// The hono environment every control-plane route shares.
import type { AuthVariables } from "./auth/middleware.ts";
import type { DeployerEnv } from "./env.ts";

export type ControlApp = { Bindings: DeployerEnv; Variables: AuthVariables & { requestId: string } };
