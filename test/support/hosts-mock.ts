/**
 * The mock Falcon serving only the hosts collection, for suites that exercise the request path
 * against one operation: started once per file, faults and the request log cleared after each test.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type MockFalcon, startMockFalcon } from "../../mock/server.js";

export const HOSTS_SPEC = fileURLToPath(new URL("../../generated/hosts/openapi.json", import.meta.url));
/** The mock's default credentials. */
export const MOCK_CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };

/** Registers the file's hooks; `started` receives the mock once it listens. */
export function useHostsMock(started: (mock: MockFalcon) => void): void {
  let mock: MockFalcon | undefined;
  beforeAll(async () => {
    mock = await startMockFalcon({ spec: HOSTS_SPEC });
    started(mock);
  });
  afterAll(() => mock?.close());
  afterEach(() => {
    mock?.clearFaults();
    mock?.clearLog();
  });
}
