// Stands in for `ajv` and `ajv-formats` in the deployer's Cloudflare bundle (the "alias" of env.production in
// deployer/wrangler.jsonc). The MCP SDK's server imports its ajv validator whether or not it is used; the
// deployer's MCP server passes CfWorkerJsonSchemaValidator (deployer/mcp/server.ts), so ajv is never built.
// Were it ever, this fails loudly instead of validating nothing.
export default class UnusedAjv {
  constructor() {
    throw new Error("ajv is not in the deployer's bundle: give the MCP server a jsonSchemaValidator");
  }
}
