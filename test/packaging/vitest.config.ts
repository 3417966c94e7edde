import { defineConfig } from "vitest/config";

// The pack-and-consume check builds and packs the package and installs it into a scratch
// project (~40 s), so it runs as its own CI step (`npm run test:pack`), not in `npm test`.
export default defineConfig({
  test: {
    include: ["test/packaging/**/*.pack.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
  },
});
