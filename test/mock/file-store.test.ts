/**
 * The mock's content-addressed file store, through the SDK over real HTTP: uploads answer the
 * file's real SHA-256 and downloads by that digest return the uploaded bytes.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { OAuth2 } from "../../generated/oauth2/index.js";
import { RealTimeResponseAdmin } from "../../generated/real-time-response-admin/index.js";
import { SampleUploads } from "../../generated/sample-uploads/index.js";
import { FileStore, startMockFalcon, type MockFalcon, type MockFalconOptions } from "../../mock/server.js";
import { expectOk } from "../support/expect-ok.js";

const CREDS = { clientId: "files-id", clientSecret: "files-secret" };
const started: MockFalcon[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.close()));
});

async function start(
  options: MockFalconOptions = {},
): Promise<{ mock: MockFalcon; samples: SampleUploads; rtr: RealTimeResponseAdmin }> {
  const mock = await startMockFalcon({ credentials: [CREDS], ...options });
  started.push(mock);
  const auth = new OAuth2({ ...CREDS, baseUrl: mock.url });
  return {
    mock,
    samples: new SampleUploads({ authObject: auth }),
    rtr: new RealTimeResponseAdmin({ authObject: auth }),
  };
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const GENERATED = "FALCONMOCK GetSampleV3\n";

async function upload(samples: SampleUploads, content: Uint8Array, fileName = "sample.bin"): Promise<string> {
  const up = await samples.uploadSampleV3({ file_data: content, file_name: fileName });
  expectOk(up);
  return up.body.resources?.[0]?.sha256 ?? "";
}

async function download(samples: SampleUploads, ids: string): Promise<Uint8Array> {
  const down = await samples.getSampleV3({ ids });
  expectOk(down);
  expect(down.headers["content-type"]).toBe("application/octet-stream");
  return down.body;
}

const startsGenerated = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.subarray(0, GENERATED.length)).toString("latin1") === GENERATED;

describe("mock file store", () => {
  it("UploadSampleV3 answers the real SHA-256 and name; GetSampleV3 by it returns the same bytes", async () => {
    const { mock, samples } = await start();
    const content = new Uint8Array([...text("MZ\0\x01binary "), ...randomBytes(300), 0, 255, 0x80]);
    const up = await samples.uploadSampleV3({ file_data: content, file_name: "tool.exe", comment: "file store" });
    expectOk(up);
    expect(up.body.resources).toEqual([{ sha256: sha256(content), file_name: "tool.exe" }]);
    expect(mock.validateResponse("UploadSampleV3", up.body)).toEqual([]);
    expect(mock.requests.at(-1)!.uploaded).toEqual([sha256(content)]);

    const bytes = await download(samples, up.body.resources![0]!.sha256);
    expect(Buffer.from(bytes).equals(Buffer.from(content))).toBe(true);
    // digests are hex: any case finds the file
    expect(Buffer.from(await download(samples, sha256(content).toUpperCase())).equals(Buffer.from(content))).toBe(true);
    expect(mock.files.get(sha256(content))).toMatchObject({ name: "tool.exe", operationId: "UploadSampleV3" });
  });

  it("an RTR put-file (multipart) answers digest, name, size and id; RTR_GetPutFileContents by that id returns it", async () => {
    const { mock, rtr } = await start();
    const content = text("Write-Output 'hello from a put-file'\r\n");
    const up = await rtr.rtrCreatePutFilesV2({
      files: [["file", ["hello.ps1", content, "text/plain"]]],
      description: "greeting",
    });
    expectOk(up);
    const r = up.body.resources![0]!;
    expect(r.sha256).toBe(sha256(content));
    expect(r.size).toBe(content.byteLength);
    expect(r.name).toBe("hello.ps1");
    expect(r.id).toBe(sha256(content));
    expect(mock.validateResponse("RTR_CreatePut_FilesV2", up.body)).toEqual([]);

    // the form's name field wins over the part's file name
    const renamed = await rtr.rtrCreatePutFilesV2({
      files: [["file", ["x.bin", content, "application/octet-stream"]]],
      description: "d",
      name: "renamed.ps1",
    });
    expectOk(renamed);
    expect(renamed.body.resources![0]!.name).toBe("renamed.ps1");

    const down = await rtr.rtrGetPutFileContents({ id: r.id! });
    expectOk(down);
    expect(down.headers["content-type"]).toBe("application/octet-stream");
    expect(Buffer.from(down.body as Uint8Array).equals(Buffer.from(content))).toBe(true);
  });

  it("a raw application/octet-stream body is stored too (ArchiveUploadV1), and the store is shared by operations", async () => {
    const { mock, samples } = await start();
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...randomBytes(64)]);
    const up = await samples.archiveUploadV1({ body: zip, name: "bundle.zip" });
    expectOk(up);
    const r = up.body.resources![0]!;
    expect(r.sha256).toBe(sha256(zip));
    expect(r.name).toBe("bundle.zip");
    expect(r.size).toBe(zip.byteLength);
    expect(mock.validateResponse("ArchiveUploadV1", up.body)).toEqual([]);
    expect(mock.requests.at(-1)!.headers["content-type"]).toMatch(/^application\/octet-stream/);
    expect(Buffer.from(await download(samples, sha256(zip))).equals(Buffer.from(zip))).toBe(true);
  });

  it("an unknown or non-digest id still gets the generated bytes", async () => {
    const { samples } = await start();
    await upload(samples, text("kept"));
    expect(startsGenerated(await download(samples, sha256(text("never uploaded"))))).toBe(true);
    expect(startsGenerated(await download(samples, "not-a-digest"))).toBe(true);
  });

  it("evicts the oldest files past the entry cap", async () => {
    const { mock, samples } = await start({ files: { maxEntries: 3 } });
    const contents = [1, 2, 3, 4].map((i) => text(`file number ${i}`));
    const digests: string[] = [];
    for (const c of contents) digests.push(await upload(samples, c));
    expect(digests).toEqual(contents.map(sha256));
    expect(mock.files.size).toBe(3);
    expect(mock.files.has(digests[0]!)).toBe(false);
    expect(startsGenerated(await download(samples, digests[0]!))).toBe(true);
    for (const i of [1, 2, 3])
      expect(Buffer.from(await download(samples, digests[i]!)).equals(Buffer.from(contents[i]!))).toBe(true);

    // uploading known content again makes it the newest: the next eviction takes another file
    await upload(samples, contents[1]!);
    await upload(samples, text("file number 5"));
    expect(mock.files.has(digests[1]!)).toBe(true);
    expect(mock.files.has(digests[2]!)).toBe(false);

    mock.clearFiles();
    expect(mock.files.size).toBe(0);
    expect(startsGenerated(await download(samples, digests[3]!))).toBe(true);
  });

  it("evicts past the byte cap and does not keep a file larger than the cap", async () => {
    const { mock, samples } = await start({ files: { maxBytes: 1000 } });
    const a = randomBytes(400);
    const b = randomBytes(400);
    const c = randomBytes(400);
    for (const x of [a, b, c]) await upload(samples, x);
    expect(mock.files.list().map((f) => f.sha256)).toEqual([sha256(b), sha256(c)]);
    expect(mock.files.totalBytes).toBe(800);
    const huge = randomBytes(1500);
    // the answer still carries the digest, but the bytes are not kept
    expect(await upload(samples, huge)).toBe(sha256(huge));
    expect(mock.files.has(sha256(huge))).toBe(false);
    expect(mock.files.size).toBe(2);
  });

  it("two mock servers do not share files", async () => {
    const one = await start();
    const two = await start();
    const content = text("only on the first mock");
    const digest = await upload(one.samples, content);
    expect(Buffer.from(await download(one.samples, digest)).equals(Buffer.from(content))).toBe(true);
    expect(two.mock.files.size).toBe(0);
    expect(startsGenerated(await download(two.samples, digest))).toBe(true);
  });

  it("FileStore on its own: digest keys, default limits, oldest-first eviction", () => {
    const store = new FileStore();
    expect([store.maxEntries, store.maxBytes]).toEqual([64, 64 * 1024 * 1024]);
    const small = new FileStore({ maxEntries: 2 });
    const f1 = small.put(text("a"));
    small.put(text("b"));
    small.put(text("c"));
    expect(f1.sha256).toBe(sha256(text("a")));
    expect(small.has(f1.sha256)).toBe(false);
    expect(small.list().map((f) => Buffer.from(f.bytes).toString())).toEqual(["b", "c"]);
    // the store keeps its own copy
    const source = text("d");
    small.put(source);
    source[0] = 0;
    expect(Buffer.from(small.get(sha256(text("d")))!.bytes).toString()).toBe("d");
  });
});
