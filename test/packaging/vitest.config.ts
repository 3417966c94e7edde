import { defineConfig } from "vitest/config";

// The pack-and-consume checks build and pack the packages and install them into scratch
// projects (~40 s each), so they run as their own CI step (`npm run test:pack`), not in
// `npm test`; one file at a time, since each `npm pack` rebuilds dist/.
export default defineConfig({
  test: {
    include: ["test/packaging/**/*.pack.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
