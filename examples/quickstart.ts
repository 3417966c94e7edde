/**
 * `npm run demo`: a tour of FalconTS.
 *
 * Without FALCON_CLIENT_ID / FALCON_CLIENT_SECRET it starts the mock Falcon server of the test
 * kit (mock/index.ts: the code the falconts-testing package ships) and runs the whole tour
 * against its seeded world of realistic data:
 * authenticate, list hosts with a filter, fetch their details, page through every host with a
 * progress line (paginator + hydration), contain a host (action_name), upload a sample and
 * download it again, and show the rate-limit headers.
 *
 * With FALCON_CLIENT_ID / FALCON_CLIENT_SECRET set (FALCON_BASE_URL optional: a region name
 * such as us2, or a URL; default autodiscovery), it runs only read-only calls against your
 * Falcon cloud: it never contains a host or uploads anything there.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { OAuth2 } from "../generated/oauth2/index.js";
import { Hosts } from "../generated/hosts/index.js";
import { SampleUploads } from "../generated/sample-uploads/index.js";
import { APIHarnessV2 } from "../generated/uber.js";
import type { DictResponse, SuccessResult } from "../runtime/results.js";

export interface QuickstartOptions {
  /** Where lines go (default console.log). */
  readonly print?: (line: string) => void;
  /** Environment to read credentials from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface QuickstartSummary {
  readonly target: "mock" | "cloud";
  readonly steps: readonly string[];
}

const MOCK_CREDENTIALS = { clientId: "demo-client-id", clientSecret: "demo-client-secret" };

export async function main(options: QuickstartOptions = {}): Promise<QuickstartSummary> {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const clientId = env.FALCON_CLIENT_ID;
  const clientSecret = env.FALCON_CLIENT_SECRET;
  if (clientId && clientSecret)
    return cloudTour(print, { clientId, clientSecret, baseUrl: env.FALCON_BASE_URL || "auto" });

  // Loaded only here: a user running against the cloud does not need the test kit (or ajv).
  const { startMockFalcon } = await import("../mock/index.js");
  // A seeded world: its hosts, their details and uploads that download again are the kit's default answers.
  // 2,345 hosts, so the paginator step pages and hydrates more than one page of them.
  const mock = await startMockFalcon({ ...MOCK_CREDENTIALS, seed: 2026, world: { sizes: { hosts: 2345 } } });
  try {
    heading(print, `FalconTS quickstart against the mock Falcon API at ${mock.url} (${mock.spec.size} operations)`);
    print("  (set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET to run read-only calls against your Falcon cloud instead)");
    return await mockTour(print, mock.url);
  } finally {
    await mock.close();
  }
}

async function mockTour(print: (line: string) => void, baseUrl: string): Promise<QuickstartSummary> {
  const steps: string[] = [];
  const step = (name: string): void => {
    steps.push(name);
    heading(print, `${steps.length}. ${name}`);
  };

  step("Authenticate (OAuth2 client credentials)");
  const auth = new OAuth2({ ...MOCK_CREDENTIALS, baseUrl });
  await auth.login();
  print(
    `  auth.login() -> authenticated: ${auth.authenticated()}, token status ${auth.tokenStatus}, lifetime ${auth.tokenExpiration ?? "?"} s, region ${auth.region ?? "custom URL"}`,
  );

  // Every client below shares that one token through authObject.
  const hosts = new Hosts({ authObject: auth });
  step("List hosts with a filter");
  const filter = "platform_name:'Windows'";
  const list = await hosts.queryDevicesByFilterScroll({ filter, limit: 5, sort: "hostname.asc" });
  expectOk(list, "QueryDevicesByFilterScroll");
  const ids = (list.body.resources ?? []).slice(0, 3);
  print(`  hosts.queryDevicesByFilterScroll({ filter: "${filter}", limit: 5 }) -> ${list.status_code}`);
  print(`  device IDs: ${ids.join(", ") || "(none)"}   total: ${list.body.meta?.pagination?.total ?? "?"}`);

  step("Fetch host details");
  const details = await hosts.getDeviceDetailsV2({ ids });
  expectOk(details, "GetDeviceDetailsV2");
  for (const d of details.body.resources ?? [])
    print(
      `  ${d.device_id}  hostname=${d.hostname ?? "?"}  platform=${d.platform_name ?? "?"}  agent=${d.agent_version ?? "?"}`,
    );

  step("Page through every host, with details (paginator)");
  let records = 0;
  const progress = (p: { pages: number; items: number; total?: number }) =>
    print(`  page ${p.pages}: ${p.items.toLocaleString("en-US")} of ${p.total?.toLocaleString("en-US") ?? "?"} hosts`);
  for await (const device of hosts.paginate
    .queryDevicesByFilter({ filter, limit: 500 }, { onPage: progress })
    .details())
    if (device.device_id) records++;
  print(
    `  hosts.paginate.queryDevicesByFilter({ filter, limit: 500 }).details() -> ${records.toLocaleString("en-US")} device records (PostDeviceDetailsV2, 5,000 ids per call)`,
  );

  step("Run an action: contain the hosts (action_name)");
  const contain = await hosts.performActionV2({ action_name: "contain", ids });
  expectOk(contain, "PerformActionV2");
  print(
    `  hosts.performActionV2({ action_name: "contain", ids }) -> ${contain.status_code}, ${(contain.body.resources ?? []).length} host(s) acknowledged`,
  );

  step("Upload a file and download it again");
  const samples = new SampleUploads({ authObject: auth });
  const content = new TextEncoder().encode("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
  const up = await samples.uploadSampleV3({
    file_data: content,
    file_name: "eicar.txt",
    comment: "FalconTS quickstart",
  });
  expectOk(up, "UploadSampleV3");
  const sha = up.body.resources?.[0]?.sha256 ?? "unknown";
  const digest = createHash("sha256").update(content).digest("hex");
  print(
    `  samples.uploadSampleV3({ file_data, file_name: "eicar.txt" }) -> ${up.status_code}, sha256 ${sha} (SHA-256 of the file: ${yesNo(sha === digest)})`,
  );
  const down = await samples.getSampleV3({ ids: sha });
  expectOk(down, "GetSampleV3");
  const bytes = down.body;
  const same = bytes.byteLength === content.byteLength && bytes.every((b, i) => b === content[i]);
  print(
    `  samples.getSampleV3({ ids: sha256 }) -> ${down.status_code}, ${bytes.byteLength} bytes (${down.headers["content-type"]}), starts ${hex(bytes.subarray(0, 8))}, matches the upload: ${yesNo(same)}`,
  );

  step("Rate-limit headers and the Uber class");
  const uber = new APIHarnessV2({ authObject: auth });
  const viaUber = await uber.command("QueryDevicesByFilterScroll", { limit: 1 });
  expectOk(viaUber, "QueryDevicesByFilterScroll");
  print(`  uber.command("QueryDevicesByFilterScroll", { limit: 1 }) -> ${viaUber.status_code}`);
  print(
    `  X-Ratelimit-Limit: ${viaUber.headers["x-ratelimit-limit"]}   X-Ratelimit-Remaining: ${viaUber.headers["x-ratelimit-remaining"]}   X-Cs-Region: ${viaUber.headers["x-cs-region"]}`,
  );
  print(`  trace id: ${viaUber.headers["x-cs-traceid"]}`);

  step("Log out (revoke the token)");
  const out = await auth.logout();
  print(`  auth.logout() -> ${out.status_code}, authenticated: ${auth.authenticated()}`);
  heading(print, "Done.");
  return { target: "mock", steps };
}

/** Read-only calls against the real cloud: nothing here changes a tenant. */
async function cloudTour(
  print: (line: string) => void,
  creds: { clientId: string; clientSecret: string; baseUrl: string },
): Promise<QuickstartSummary> {
  const steps: string[] = [];
  const step = (name: string): void => {
    steps.push(name);
    heading(print, `${steps.length}. ${name}`);
  };
  heading(print, `FalconTS quickstart against your Falcon cloud (read-only; base URL ${creds.baseUrl})`);
  step("Authenticate");
  const auth = new OAuth2(creds);
  await auth.login();
  const ok = auth.authenticated();
  print(`  authenticated: ${ok}, token status ${auth.tokenStatus}, region base URL ${auth.baseUrl}`);
  if (!ok) {
    print(`  login failed: ${auth.tokenFailReason ?? "unknown reason"}`);
    return { target: "cloud", steps };
  }
  try {
    const hosts = new Hosts({ authObject: auth });
    step("List hosts with a filter");
    const filter = "platform_name:'Windows'";
    const list = await hosts.queryDevicesByFilterScroll({ filter, limit: 5 });
    print(`  hosts.queryDevicesByFilterScroll({ filter: "${filter}", limit: 5 }) -> ${list.status_code}`);
    const ids = list.status_code === 200 ? (list.body.resources ?? []).slice(0, 3) : [];
    print(`  device IDs: ${ids.join(", ") || "(none)"}`);
    if (ids.length) {
      step("Fetch host details");
      const details = await hosts.getDeviceDetailsV2({ ids });
      expectOk(details, "GetDeviceDetailsV2");
      for (const d of details.body.resources ?? [])
        print(`  ${d.device_id}  hostname=${d.hostname ?? "?"}  platform=${d.platform_name ?? "?"}`);
    }
    step("Page through hosts (paginator, first 1,000)");
    let paged = 0;
    const progress = (p: { pages: number; items: number; total?: number }) =>
      print(
        `  page ${p.pages}: ${p.items.toLocaleString("en-US")} of ${p.total?.toLocaleString("en-US") ?? "?"} hosts`,
      );
    for await (const id of hosts.paginate.queryDevicesByFilterScroll(
      { filter, limit: 250 },
      { maxItems: 1000, onPage: progress },
    ))
      if (id) paged++;
    print(`  hosts.paginate.queryDevicesByFilterScroll({ filter }, { maxItems: 1000 }) -> ${paged} host IDs`);
    print("  (containment and uploads are shown only against the mock: this run never writes to your tenant)");
    step("Rate-limit headers");
    print(
      `  X-Ratelimit-Limit: ${list.headers["x-ratelimit-limit"]}   X-Ratelimit-Remaining: ${list.headers["x-ratelimit-remaining"]}   X-Cs-Region: ${list.headers["x-cs-region"] ?? "-"}`,
    );
  } finally {
    step("Log out (revoke the token)");
    const out = await auth.logout();
    print(`  auth.logout() -> ${out.status_code}`);
  }
  return { target: "cloud", steps };
}

/** Dict results carry the success body only once success is checked: this check narrows `r.body`. */
function expectOk<T>(r: DictResponse<T>, what: string): asserts r is SuccessResult<T> {
  if (!r.ok) throw new Error(`${what} failed: ${r.status_code} ${r.body.errors[0]?.message ?? ""}`);
}

function heading(print: (line: string) => void, text: string): void {
  print("");
  print(text);
}

function yesNo(ok: boolean): string {
  return ok ? "yes" : "no";
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
