// runtime-shim.js is generated from runtime-shim/ by supervisor/build/shim-module.ts (before every build of the
// deployer: `npm start`, the tests, and wrangler's build command). It is the shim bundled into every pulse.
declare const code: string;
export default code;
