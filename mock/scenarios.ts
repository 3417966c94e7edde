/**
 * The kit's built-in scenarios, registered with `defineScenario` like a user's own: switch one on
 * with `mock.scenario(name, options)`; the handle's `flow` has its switches and what it saw.
 *  - "event-streams": the Streaming API (stream list, session refresh, the NDJSON feed) with
 *    drops, stalls, expiring sessions and live publishing (mock/flows/streams.ts)
 *  - "rtr": Real Time Response sessions, commands and batches over hosts (mock/flows/rtr.ts)
 *  - "jobs": FalconX, report executions, NGSIEM searches and MalQuery requests that finish after
 *    a number of polls (mock/flows/jobs.ts)
 *  - "pagination": every paginated operation in its own paging style over finite data, with the
 *    offset cap and expiring scroll tokens (mock/flows/pagination.ts)
 */
import { defineScenario } from "./flows.js";
import { createJobsWorld, type JobsWorld, type JobsWorldOptions } from "./flows/jobs.js";
import { PaginationFlow, type PaginationOptions } from "./flows/pagination.js";
import { createRtrWorld, type RtrWorld, type RtrWorldOptions } from "./flows/rtr.js";
import { StreamFlow, type StreamFlowOptions } from "./flows/streams.js";

/** Each built-in scenario's options and flow (what `mock.scenario(name, options).flow` is). */
export interface BuiltInScenarios {
  "event-streams": { options: StreamFlowOptions; flow: StreamFlow };
  rtr: { options: RtrWorldOptions; flow: RtrWorld };
  jobs: { options: JobsWorldOptions; flow: JobsWorld };
  pagination: { options: PaginationOptions; flow: PaginationFlow };
}

defineScenario<StreamFlowOptions | undefined>("event-streams", (options) => new StreamFlow(options));
defineScenario<RtrWorldOptions | undefined>("rtr", (options) => createRtrWorld(options));
defineScenario<JobsWorldOptions | undefined>("jobs", (options) => createJobsWorld(options));
defineScenario<PaginationOptions | undefined>(
  "pagination",
  (options) => new PaginationFlow(options?.operations, options?.world),
);
