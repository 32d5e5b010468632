// Pulse Studio's build: Preact with the automatic JSX runtime, served by the control plane under /studio/.
// supervisor/build/studio-module.ts runs it and bundles the output into the deployer Worker.

import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/studio/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    // No inline scripts or styles: the page's CSP allows only its own files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: "warn",
});
