/**
 * Run by close.test.ts in its own process: one call inside an `await using` block against the
 * parent's server, then nothing. The block's end revokes the token and closes the pool; if a
 * socket or timer were left, this process would not exit by itself.
 */
import { Things } from "../runtime/fixtures.js";

{
  await using falcon = new Things({ clientId: "id", clientSecret: "secret", baseUrl: process.env.FALCON_TEST_URL });
  const r = await falcon.queryThings({ limit: 1 });
  process.stdout.write(`call:${r.status_code}\n`);
}
process.stdout.write(`done:${Date.now()}\n`);
