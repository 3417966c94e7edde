/**
 * `npm run spec:refresh [-- --from DIR]`: copies the upstream swagger.json and falconpy-names.json
 * (default ../shared/falcon-spec) into spec/ and derives spec/operation-names.json from them.
 * The generator and the tests read only the committed copies; run this when upstream changes,
 * then `npm run generate`.
 */
import { chmodSync, copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_NAMES, DEFAULT_OPERATION_NAMES, DEFAULT_SPEC, UPSTREAM_SPEC_DIR } from "./locate.js";
import { deriveNamingData, namingDataText, readFalconPyNames } from "./names.js";
import { readSwagger } from "./swagger.js";

const argv = process.argv.slice(2);
const fromIndex = argv.indexOf("--from");
const from = fromIndex >= 0 && argv[fromIndex + 1] ? resolve(argv[fromIndex + 1]!) : UPSTREAM_SPEC_DIR;
for (const [name, target] of [
  ["swagger.json", DEFAULT_SPEC],
  ["falconpy-names.json", DEFAULT_NAMES],
] as const) {
  const source = join(from, name);
  if (!existsSync(source)) {
    console.error(`spec:refresh: ${source} not found (pass --from DIR)`);
    process.exit(2);
  }
  copyFileSync(source, target);
  chmodSync(target, 0o644);
  console.log(`copied ${source} -> ${target}`);
}
const data = deriveNamingData(readSwagger(DEFAULT_SPEC), readFalconPyNames(DEFAULT_NAMES));
writeFileSync(DEFAULT_OPERATION_NAMES, namingDataText(data));
console.log(`wrote ${DEFAULT_OPERATION_NAMES}: ${Object.keys(data.operations).length} operations (${data.from})`);
