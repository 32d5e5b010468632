// Entry of the shim as bundled into every pulse: `export default servePulse(run)`.
export { servePulse } from "./serve.ts";
export type { PulseDB, PulseEnv, PulseKV, PulseContext, PulseInput, RunFunction } from "./contract.ts";
