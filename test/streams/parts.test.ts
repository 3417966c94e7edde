/** The reader's pure parts, without sockets: line framing, the stream list, options. */
import { describe, expect, it } from "vitest";
import { APIError, InvalidOption } from "../../runtime/errors.js";
import { feedUrl, parseStreams, partitionOf } from "../../runtime/streams/discovery.js";
import { LineSplitter, MAX_LINE_BYTES } from "../../runtime/streams/lines.js";
import { resolveReadOptions } from "../../runtime/streams/options.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("LineSplitter", () => {
  it("frames lines across any chunking, skipping blank heartbeats and CRLF endings", () => {
    const text = '{"a":1}\n\n\r\n{"b":"é"}\r\n   \n{"c":3}\n{"d"';
    const whole: string[] = [];
    new LineSplitter().push(bytes(text), (l) => whole.push(l));
    expect(whole).toEqual(['{"a":1}', '{"b":"é"}', '{"c":3}']);
    const encoded = bytes(text);
    for (let cut = 1; cut < encoded.length; cut++) {
      const out: string[] = [];
      const s = new LineSplitter();
      s.push(encoded.subarray(0, cut), (l) => out.push(l));
      s.push(encoded.subarray(cut), (l) => out.push(l));
      expect(out, `cut at ${cut}`).toEqual(whole); // a multi-byte character split between chunks too
      expect(s.pending).toBe(4);
    }
  });

  it("drops an unfinished line on reset and refuses a line longer than the bound", () => {
    const s = new LineSplitter();
    s.push(bytes('{"half'), () => undefined);
    s.reset();
    const out: string[] = [];
    s.push(bytes('{"x":1}\n'), (l) => out.push(l));
    expect(out).toEqual(['{"x":1}']);
    expect(() => new LineSplitter().push(new Uint8Array(MAX_LINE_BYTES + 1).fill(0x61), () => undefined)).toThrow(
      RangeError,
    );
  });
});

describe("stream list", () => {
  const resource = (p: number, extra: object = {}) => ({
    dataFeedURL: `https://firehose.us-1.crowdstrike.com/sensors/entities/datafeed/v1/${p}?appId=x`,
    sessionToken: { token: `tok${p}`, expiration: "2030-01-01T00:00:00Z" },
    refreshActiveSessionURL: `https://api.crowdstrike.com/sensors/entities/datafeed-actions/v1/${p}?appId=x&action_name=refresh_active_stream_session`,
    refreshActiveSessionInterval: 1800,
    ...extra,
  });

  it("takes the partition from the feed URL, else the refresh URL", () => {
    expect(partitionOf("https://h/sensors/entities/datafeed/v1/12?appId=a")).toBe(12);
    expect(partitionOf("not a url")).toBeUndefined();
    const m = parseStreams({ resources: [resource(0), resource(3, { dataFeedURL: "https://h/feed?appId=x" })] }, 1000);
    expect([...m.keys()]).toEqual([0, 3]);
    expect(m.get(0)).toMatchObject({
      token: "tok0",
      refreshInterval: 1800,
      since: 1000,
      expiresAt: Date.parse("2030-01-01T00:00:00Z"),
    });
  });

  it("defaults a missing interval to 30 minutes and refuses resources without a URL or token", () => {
    expect(
      parseStreams({ resources: [resource(1, { refreshActiveSessionInterval: undefined })] }, 0).get(1)!
        .refreshInterval,
    ).toBe(1800);
    expect(parseStreams({ resources: [] }, 0).size).toBe(0);
    expect(() => parseStreams({ resources: [resource(0, { sessionToken: {} })] }, 0)).toThrow(/sessionToken.token/);
    expect(() => parseStreams({ resources: [{ sessionToken: { token: "t" } }] }, 0)).toThrow(APIError);
    expect(() =>
      parseStreams({ resources: [resource(0, { dataFeedURL: "https://h/x", refreshActiveSessionURL: undefined })] }, 0),
    ).toThrow(/partition number/);
  });

  it("sets or removes `offset` on the feed URL, https only except loopback", () => {
    expect(feedUrl("https://h/sensors/entities/datafeed/v1/0?appId=a&offset=5", 10).search).toBe("?appId=a&offset=10");
    expect(feedUrl("https://h/sensors/entities/datafeed/v1/0?appId=a&offset=5", undefined).search).toBe("?appId=a");
    expect(feedUrl("http://127.0.0.1:9/f/0?appId=a", 0).href).toBe("http://127.0.0.1:9/f/0?appId=a&offset=0");
    expect(() => feedUrl("http://firehose.example.com/f/0", 0)).toThrow(/https only/);
  });
});

describe("read options", () => {
  it("converts seconds and keeps saved offsets per partition", () => {
    const r = resolveReadOptions({ appId: "app", offsets: { 0: 1234, 3: 0 }, idleTimeout: 1.5, partitions: [1, 0, 1] });
    expect(r).toMatchObject({
      appId: "app",
      idleMs: 1500,
      start: "earliest",
      partitions: [1, 0],
      bufferSize: 1000,
      reconnectMinMs: 500,
      reconnectMaxMs: 20_000,
    });
    expect([...r.offsets]).toEqual([
      [0, 1234],
      [3, 0],
    ]);
    expect(resolveReadOptions({ appId: "a", checkpoint: { onCheckpoint: () => undefined } }).checkpoint).toMatchObject({
      every: Infinity,
      ms: 5000,
    });
    expect(
      resolveReadOptions({ appId: "a", checkpoint: { every: 10, onCheckpoint: () => undefined } }).checkpoint,
    ).toMatchObject({ every: 10, ms: 86_400_000 });
  });

  it.each([
    [{ appId: " " }, "appId"],
    [{ appId: "a b" }, "appId"],
    [{ appId: 5 }, "appId"],
    [{ appId: "a", partitions: [] }, "partitions"],
    [{ appId: "a", offsets: { x: 1 } }, "offsets"],
    [{ appId: "a", offsets: [1] }, "offsets"],
    [{ appId: "a", idleTimeout: 90_000_000 }, "idleTimeout"],
    [{ appId: "a", reconnectDelay: { min: 2, max: 1 } }, "reconnectDelay"],
    [{ appId: "a", reconnectDelay: { max: 60 } }, "reconnectDelay.max"],
    [{ appId: "a", bufferSize: 0 }, "bufferSize"],
    [{ appId: "a", checkpoint: { every: 5 } }, "checkpoint"],
    [{ appId: "a", checkpoint: { every: 0.5, onCheckpoint: () => undefined } }, "checkpoint.every"],
    [{ appId: "a", signal: {} }, "signal"],
    [{ appId: "a", onReconnect: "log" }, "onReconnect"],
  ])("refuses %j naming %s", (options, option) => {
    let err: unknown;
    try {
      resolveReadOptions(options as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOption);
    expect(err).toMatchObject({ option });
  });
});
