/**
 * Cold start: argv contender stage(construct|call) port. The parent times the whole process
 * (spawn to exit); this reports the peak RSS (maxRSS) at the end.
 */
const [name, stage, port] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const ids = ["0"];
if (name === "falconts") {
  const { Hosts } = await import("../../dist/esm/generated/hosts/index.js");
  const hosts = new Hosts({ clientId: "id", clientSecret: "secret", baseUrl: base });
  if (stage === "call") await hosts.queryDevicesByFilterScroll({ limit: 100 });
} else if (name === "falconjs") {
  const { createRequire } = await import("node:module");
  const { FalconClient } = createRequire(import.meta.url)("crowdstrike-falcon");
  const fetchApi = (url, init) => fetch(String(url).replace("https://api.crowdstrike.com", base), init);
  const client = new FalconClient({ cloud: "us-1", clientId: "id", clientSecret: "secret", fetchApi });
  if (stage === "call") await client.hosts.queryDevicesByFilterScroll(undefined, 100);
} else if (name === "fetch") {
  if (stage === "call") {
    const tok = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "id", client_secret: "secret" }),
    });
    const { access_token } = await tok.json();
    await (
      await fetch(`${base}/devices/queries/devices-scroll/v1?limit=100`, {
        headers: { authorization: `Bearer ${access_token}` },
      })
    ).json();
  }
} // "node": nothing at all
void ids;
process.stdout.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 }));
process.exit(0);
