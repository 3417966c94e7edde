/** A mock Falcon serving only the event-streams collection, with the kit's "event-streams" scenario on. */
import { fileURLToPath } from "node:url";
import type { StreamFlow, StreamFlowOptions } from "../../mock/flows/streams.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { EventStreams } from "../../generated/event-streams/index.js";

export const SPEC = fileURLToPath(new URL("../../generated/event-streams/openapi.json", import.meta.url));

export interface StreamWorld {
  readonly mock: MockFalcon;
  readonly flow: StreamFlow;
  readonly streams: EventStreams;
  close(): Promise<void>;
}

export async function streamWorld(options: StreamFlowOptions = {}): Promise<StreamWorld> {
  const mock = await startMockFalcon({ spec: SPEC });
  const flow = mock.scenario("event-streams", options).flow;
  const streams = new EventStreams({
    clientId: "mock-client-id",
    clientSecret: "mock-client-secret",
    baseUrl: mock.url,
  });
  return { mock, flow, streams, close: () => mock.close() };
}

/** Fast reconnects and stall detection for tests (seconds). */
export const QUICK = { idleTimeout: 0.5, reconnectDelay: { min: 0.01, max: 0.05 } } as const;
