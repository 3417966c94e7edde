/**
 * EventStreamsBase: what the generated `EventStreams` class extends (codegen/helper-bases.ts).
 * Adds `read()`, the Streaming API reader, on top of the class's generated operations.
 */
import type { DictResult } from "../results.js";
import { ServiceClass, clientTransport, untilClosed } from "../service-class.js";
import type { StreamApi } from "../streams/api.js";
import { EventFeed } from "../streams/feed.js";
import { resolveReadOptions, type ReadOptions } from "../streams/options.js";

/** The dict-mode call options the reader passes to the generated methods. */
interface DictCall {
  signal?: AbortSignal;
  pythonic?: false;
  stream?: false;
}

export abstract class EventStreamsBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /** Generated: GET /sensors/entities/datafeed/v2. */
  abstract listAvailableStreamsOAuth2(args: { appId: string }, options?: DictCall): Promise<unknown>;
  /** Generated: POST /sensors/entities/datafeed-actions/v1/{partition}. */
  abstract refreshActiveStreamSession(
    args: { action_name: "refresh_active_stream_session"; appId: string; partition: number },
    options?: DictCall,
  ): Promise<unknown>;

  /**
   * Reads the event streams of `appId`: every partition (or `partitions`), merged, resuming
   * after the saved `offsets`. Sessions are refreshed on time, dropped or stalled connections
   * resume at the next offset, and an expired session gets a new one; the iteration ends only
   * on close(), `signal`, or an error retrying cannot fix (an APIError such as a bad appId or a
   * missing "Event streams: read" scope). Nothing is sent until the first `next()`.
   *
   * Delivery is exactly once and in offset order per partition within one feed, and at least
   * once across restarts that pass `feed.offsets()` back in. Each concurrently running consumer
   * needs its own `appId`; spread partitions over processes with `partitions`. Closing the
   * client ends the feed too (the iteration throws ClientClosed).
   */
  read(options: ReadOptions): EventFeed {
    const resolved = resolveReadOptions(options);
    return new EventFeed(this.streamApi(), { ...resolved, signal: untilClosed(this, resolved.signal) });
  }

  private streamApi(): StreamApi {
    // The feed GET goes straight to the client's transport (its pool, proxy, TLS), not through
    // the pipeline: it carries its own `Authorization: Token` (no bearer, no user middleware)
    // and stays open for hours (no per-attempt timeout; the reader's idle timer instead).
    const transport = clientTransport(this);
    return {
      // pythonic: false gives a dict result whatever the client's mode
      list: (appId, signal) =>
        this.listAvailableStreamsOAuth2({ appId }, { signal, pythonic: false }) as Promise<DictResult<unknown>>,
      refresh: (appId, partition, signal) =>
        this.refreshActiveStreamSession(
          { action_name: "refresh_active_stream_session", appId, partition },
          { signal, pythonic: false },
        ) as Promise<DictResult<unknown>>,
      open: (url, token, signal) =>
        transport.send(url.href, {
          method: "GET",
          headers: { ...transport.baseHeaders, accept: "application/json", authorization: `Token ${token}` },
          signal,
          // the feed is open for hours: no read or total timeout, the reader's idle timer instead
          headersTimeout: 0,
          bodyTimeout: 0,
        }),
    };
  }
}
