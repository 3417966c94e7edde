/** Negative or absurd retry/timeout settings fail at construction (or at the call), naming the option. */
import { describe, expect, it } from "vitest";
import { OAuth2 } from "../../generated/oauth2/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { InvalidOption, SDKError } from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";

const CREDS = { clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:9" };

function thrown(fn: () => unknown): SDKError {
  try {
    fn();
  } catch (err) {
    expect(SDKError.isSDKError(err)).toBe(true);
    expect(err).toBeInstanceOf(InvalidOption);
    return err as SDKError;
  }
  throw new Error("did not throw");
}

const bad: [string, Partial<FalconOptions>, RegExp][] = [
  ["negative retries", { retries: -1 }, /^invalid option retries: must be between 0 and 10, got -1$/],
  ["fractional retries", { retries: 1.5 }, /^invalid option retries: expected a whole number/],
  ["absurd retries", { retries: 1000 }, /retries: must be between 0 and 10, got 1000/],
  ["retries as a string", { retries: "3" as unknown as number }, /retries: expected a number or/],
  ["negative attempts", { retries: { attempts: -2 } }, /^invalid option retries\.attempts: /],
  [
    "NaN maxWait",
    { retries: { maxWait: Number.NaN } },
    /^invalid option retries\.maxWait: expected a number of seconds, got NaN$/,
  ],
  ["zero maxWait", { retries: { maxWait: 0 } }, /retries\.maxWait: must be > 0 seconds/],
  ["absurd maxWait", { retries: { maxWait: 86_400 } }, /retries\.maxWait: must be at most 3600 seconds/],
  ["negative baseDelay", { retries: { baseDelay: -1 } }, /retries\.baseDelay: must be >= 0/],
  [
    "non-boolean retryNonIdempotent",
    { retries: { retryNonIdempotent: "yes" as unknown as boolean } },
    /retries\.retryNonIdempotent: expected a boolean/,
  ],
  [
    "unknown retry setting",
    { retries: { attempt: 3 } as unknown as FalconOptions["retries"] },
    /retries\.attempt: unknown setting/,
  ],
  ["negative timeout", { timeout: -5 }, /^invalid option timeout: must be > 0 seconds, got -5$/],
  ["zero timeout", { timeout: 0 }, /timeout: must be > 0 seconds/],
  ["infinite timeout", { timeout: Infinity }, /timeout: expected a number of seconds, got Infinity/],
  ["timeout in milliseconds by mistake", { timeout: 30_000_000 }, /timeout: must be at most 86400 seconds/],
  ["negative connect timeout", { timeout: { connect: -1 } }, /^invalid option timeout\.connect: /],
  [
    "string read timeout",
    { timeout: { read: "10" as unknown as number } },
    /timeout\.read: expected a number of seconds, got "10"/,
  ],
  [
    "unknown timeout key",
    { timeout: { totl: 5 } as unknown as FalconOptions["timeout"] },
    /timeout\.totl: unknown setting/,
  ],
];

describe("bad retry and timeout settings", () => {
  it.each(bad)("%s: rejected by a service class constructor", (_name, opts, message) => {
    expect(thrown(() => new Hosts({ ...CREDS, ...opts })).message).toMatch(message);
  });
  it.each(bad)("%s: rejected by the OAuth2 (auth object) constructor", (_name, opts, message) => {
    expect(thrown(() => new OAuth2({ ...CREDS, ...opts })).message).toMatch(message);
  });
  it("a sharer's own bad setting is rejected too", () => {
    const root = new Hosts(CREDS);
    expect(thrown(() => new Hosts({ authObject: root, retries: -1 })).message).toMatch(/retries/);
  });
  it("a bad per-call timeout is rejected before anything is sent", async () => {
    const h = new Hosts(CREDS);
    await expect(h.queryDevicesByFilterScroll({}, { timeout: -1 })).rejects.toThrow(
      /^invalid option options\.timeout: must be > 0 seconds, got -1$/,
    );
  });
  it("good settings are accepted", () => {
    expect(() => new Hosts({ ...CREDS, retries: 0, timeout: { connect: 5, read: 30 } })).not.toThrow();
    expect(
      () =>
        new Hosts({
          ...CREDS,
          retries: { attempts: 5, maxWait: 120, retryNonIdempotent: true, baseDelay: 0 },
          timeout: 0.5,
        }),
    ).not.toThrow();
  });
});
