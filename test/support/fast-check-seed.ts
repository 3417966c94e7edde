/**
 * Property tests run from one fixed seed, so CI is repeatable: FC_SEED=<n> replays a reported
 * failure, FC_SEED=random explores new inputs (with FC_RUNS for more of them).
 */
import fc from "fast-check";

const seed = process.env.FC_SEED ?? "20261130";
if (seed !== "random") fc.configureGlobal({ seed: Number(seed) });
