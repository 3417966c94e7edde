import { defineConfig } from "vitest/config";

// The pack-and-consume checks build and pack the packages (once, in global-setup.ts) and
// install them into scratch projects, so they run as their own CI step (`npm run test:pack`),
// not in `npm test`.
export default defineConfig({
  test: {
    include: ["test/packaging/**/*.pack.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    globalSetup: ["test/packaging/global-setup.ts"],
  },
});
