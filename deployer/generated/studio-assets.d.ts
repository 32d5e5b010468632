// studio-assets.js is generated from studio/ by supervisor/build/studio-module.ts (Vite, before every build of the
// deployer: `npm start`, the tests, and wrangler's build command): the studio page's built files by path.
import type { StudioAssets } from "../studio.ts";
declare const assets: StudioAssets;
export default assets;
