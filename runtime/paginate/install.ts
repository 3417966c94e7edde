/**
 * `client.paginate`: the paginators of a service class, one per paginated operation under its
 * method name and its operation-ID aliases. Generated classes list their paginated operations
 * in `static paginated` (method -> [operation, details operation]); the object is built once
 * per client on first use, nothing at construction.
 */
import type { OperationSpec } from "../operation.js";
import type { CallOptions } from "../options.js";
import { Paginator } from "./paginator.js";
import type { CallPath, PaginateOptions } from "./paginator.js";

/** A generated class's entry: its operation and, when hydration pairs one, the details operation. */
export type PaginatedEntry = () => readonly [OperationSpec, OperationSpec?];

type ClassWithPaging = Function & {
  readonly paginated?: Readonly<Record<string, PaginatedEntry>>;
  readonly aliases?: Readonly<Record<string, string>>;
};

interface Client {
  readonly pythonic: boolean;
}

/** The client's call path (ServiceClass.call, protected: reached here, as a subclass would). */
export function callPathOf(client: object): CallPath {
  const call = (client as { call: (op: OperationSpec, args: object, options: CallOptions) => Promise<unknown> }).call;
  return (op, args, options) => call.call(client, op, args, options);
}

const built = new WeakMap<object, Readonly<Record<string, unknown>>>();

function paginatorsOf(client: Client): Readonly<Record<string, unknown>> {
  let out = built.get(client);
  if (out !== undefined) return out;
  const entries: Record<string, PaginatedEntry> = {};
  const aliases: Record<string, string> = {};
  // Walk to the base so a subclass of Hosts keeps Hosts' paginators (nearest class wins).
  for (
    let cls = client.constructor as ClassWithPaging;
    typeof cls === "function" && cls !== Function.prototype;
    cls = Object.getPrototypeOf(cls)
  ) {
    if (Object.hasOwn(cls, "paginated")) for (const [k, v] of Object.entries(cls.paginated ?? {})) entries[k] ??= v;
    if (Object.hasOwn(cls, "aliases")) for (const [k, v] of Object.entries(cls.aliases ?? {})) aliases[k] ??= v;
  }
  const call = callPathOf(client);
  const make = (entry: PaginatedEntry) => (args?: object, options?: PaginateOptions) =>
    new Paginator(
      call,
      () => {
        const [op, details] = entry();
        return Promise.resolve(details ? { op, details } : { op });
      },
      args,
      options,
      client.pythonic,
    );
  const table: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(entries)) table[name] = make(entry);
  for (const [alias, method] of Object.entries(aliases)) if (entries[method]) table[alias] = table[method];
  out = Object.freeze(table);
  built.set(client, out);
  return out;
}

/** Defines `paginate` on the base class's prototype (once, when service-class.ts loads). */
export function installPaginate(base: Function): void {
  Object.defineProperty(base.prototype, "paginate", {
    configurable: true,
    enumerable: false,
    get(this: Client) {
      return paginatorsOf(this);
    },
  });
}
