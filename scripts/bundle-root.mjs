/**
 * Rewrites the root entry (dist/{esm,cjs}/generated/index.js) as ONE module holding every
 * service class. Why: Node keeps per-module bookkeeping and source for each ES module, and
 * loading 127 small modules in a burst makes V8 grow its young generation; the root entry as a
 * single module costs about half the memory (measured by `npm run bench`, memory section).
 *
 * What stays outside the bundle, as relative imports of the files build.mjs emitted:
 *   - the runtime (one copy of auth, tokens and the pipeline, whichever entry a program uses),
 *     reached through runtime/internal.js, which build.mjs bundles it into, and its public API
 *     (runtime/index.js, which the root re-exports),
 *     except, in the ES bundle, runtime/helpers/ (the handwritten bases of some classes): inside, a bundler drops
 *     them with their class when a program does not use it (an import of a separate module
 *     would survive tree shaking under code splitting),
 *   - whatever is loaded with a dynamic import() (the helpers' data tables),
 *   - generated/uber.js (APIHarnessV2 loads collections on demand),
 *   - each collection's schemas.js (loaded only when a client validates payloads),
 *   - packages (undici, zod).
 * Collection subpaths (`falconts/hosts`) keep their own modules, so importing one still loads
 * only that collection. A program importing both gets two copies of that class;
 * ServiceClass's Symbol.hasInstance makes `instanceof` hold across them.
 *
 * The bundle is whitespace- and syntax-minified, with names kept: its comments only repeat
 * the declarations' docs, and every byte of source stays in memory for the life of the process.
 */
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";

/** @param {string} root repository root; @param {string} dist output root (dist/) */
export async function bundleRoot(root, dist) {
  const generated = join(root, "generated");
  const entry = join(generated, "index.ts");
  const runtimeIndex = join(root, "runtime", "index.ts");
  /** @param {"esm" | "cjs"} format */
  const keepOutside = (format) => ({
    name: "keep-outside",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        if (!args.path.startsWith(".")) return { path: args.path, external: true };
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
        const inside = relative(generated, target);
        // inside the ES bundle for tree shaking; CommonJS, which no bundler shakes, shares the runtime's copy
        const helper = format === "esm" && !relative(join(root, "runtime", "helpers"), target).startsWith("..");
        // what a helper loads on demand (generated/helper-data.js, a collection's table) stays a separate module
        const lazy = args.kind === "dynamic-import";
        const outside =
          (inside.startsWith("..") && !helper) || lazy || inside === "uber.ts" || inside.endsWith(`${sep}schemas.ts`);
        if (!outside) return { path: target };
        // The build bundles the runtime: its modules are reached through runtime/internal.js, but
        // its public API (what the root re-exports), which is a module of its own.
        if (!lazy && !relative(join(root, "runtime"), target).startsWith("..") && target !== runtimeIndex)
          return { path: "../runtime/internal.js", external: true };
        // Relative to the bundle, which sits where generated/index.ts does.
        const spec = relative(dirname(entry), target).split(sep).join("/").replace(/\.ts$/, ".js");
        return { path: spec.startsWith(".") ? spec : `./${spec}`, external: true };
      });
    },
  });
  const common = {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
    write: true,
    allowOverwrite: true,
  };
  await Promise.all([
    build({
      ...common,
      plugins: [keepOutside("esm")],
      format: "esm",
      outfile: join(dist, "esm", "generated", "index.js"),
    }),
    build({
      ...common,
      plugins: [keepOutside("cjs")],
      format: "cjs",
      outfile: join(dist, "cjs", "generated", "index.js"),
      supported: { "dynamic-import": false },
    }),
  ]);
}
