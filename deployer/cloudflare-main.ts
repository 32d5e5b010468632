// The control-plane Worker as deployed to Cloudflare (deployer/wrangler.jsonc, env.production): the same app,
// plus the Sandbox Durable Object class that server-side builds run in. Kept out of the local entry so
// workerd, which has no container engine here, never loads it.
export { default } from "./index.ts";
export { Sandbox } from "@cloudflare/sandbox";
