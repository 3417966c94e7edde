/**
 * RSS after constructing every service class (node --expose-gc). argv: contender.
 * Prints RSS and heap after a full GC.
 */
const [name] = process.argv.slice(2);
let built = 0;
const keep = [];
const opts = { clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:9" };
if (name === "falconts" || name === "falconts-cjs") {
  const { createRequire } = await import("node:module");
  const root =
    name === "falconts"
      ? await import("../../dist/esm/generated/index.js")
      : createRequire(import.meta.url)("../../dist/cjs/generated/index.js");
  const auth = new root.OAuth2(opts);
  keep.push(auth);
  for (const [k, v] of Object.entries(root)) {
    if (typeof v !== "function" || !(v.prototype instanceof root.ServiceClass) || k === "UberInterface") continue;
    keep.push(new v({ authObject: auth }));
    built++;
  }
  built += 1;
} else if (name === "falconts-hosts") {
  const { Hosts } = await import("../../dist/esm/generated/hosts/index.js");
  keep.push(new Hosts(opts));
  built = 1;
} else if (name === "falconjs") {
  const { createRequire } = await import("node:module");
  const { FalconClient } = createRequire(import.meta.url)("crowdstrike-falcon");
  const client = new FalconClient({ cloud: "us-1", clientId: "id", clientSecret: "secret" });
  keep.push(client);
  built = Object.values(client).filter(
    (v) => v && typeof v === "object" && v.constructor?.name?.endsWith("Api"),
  ).length;
} else if (name === "fetch") {
  keep.push(globalThis.fetch);
}
for (let i = 0; i < 3; i++) globalThis.gc();
await new Promise((r) => setTimeout(r, 20));
globalThis.gc();
const m = process.memoryUsage();
process.stdout.write(JSON.stringify({ built, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 }));
process.exit(0);
