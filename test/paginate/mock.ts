/** The mock for pagination tests: the collections the tests page, with PaginationFlow over finite data. */
import { fileURLToPath } from "node:url";
import { PaginationFlow, type PaginationWorld } from "../../mock/flows/pagination.js";
import { startMockFalcon, type MockFalcon, type RecordedRequest } from "../../mock/server.js";

const COLLECTIONS = [
  "hosts",
  "alerts",
  "spotlight-vulnerabilities",
  "cspm-registration",
  "iocs",
  "admission-control-policies",
];

export const CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };

export async function startPagingMock(
  world: PaginationWorld = {},
): Promise<{ mock: MockFalcon; flow: PaginationFlow }> {
  // every operation of the SDK's tables, looked up as requests arrive
  const flow = new PaginationFlow(undefined, world);
  const spec = COLLECTIONS.map((c) => fileURLToPath(new URL(`../../generated/${c}/openapi.json`, import.meta.url)));
  // the flow's ids are its own (`<op>-000000`), not the data world's: writes on them, which fall through to the world, are answered too
  const mock = await startMockFalcon({ spec, unknownIds: "answer" });
  mock.flow(flow);
  return { mock, flow };
}

/** Requests the mock received for an operation. */
export function requestsOf(mock: MockFalcon, operationId: string): RecordedRequest[] {
  return mock.requests.filter((r) => r.operationId === operationId);
}
