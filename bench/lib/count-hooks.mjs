// Module-loader hooks that record every module URL Node loads (ESM and, through the ESM
// loader, CommonJS entered via import). Runs on the hooks thread, so it appends to a file.
import { appendFileSync } from "node:fs";
let out;
export function initialize(data) {
  out = data.out;
}
export async function load(url, context, next) {
  if (out && !url.startsWith("node:")) appendFileSync(out, `${url}\n`);
  return next(url, context);
}
