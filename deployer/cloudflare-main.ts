// The control-plane Worker as deployed to Cloudflare (deployer/wrangler.jsonc, env.production): the same app,
// plus the Sandbox Durable Object class that server-side builds run in. Kept out of the local entry so
// workerd, which has no container engine here, never loads the Sandbox SDK.
import { getSandbox, type Sandbox } from "@cloudflare/sandbox";
import { registerSandbox } from "./build/sandbox-factory.ts";

registerSandbox((env, id) => getSandbox(env.SANDBOX as DurableObjectNamespace<Sandbox>, id));

export { default } from "./index.ts";
export { Sandbox } from "@cloudflare/sandbox";
