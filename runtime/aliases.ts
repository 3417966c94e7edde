/**
 * Operation-ID aliases: `hosts.QueryDevicesByFilterScroll` calls `hosts.queryDevicesByFilterScroll`.
 * Installed once per class on its prototype (nothing per instance), and forwarding through
 * `this` so that a subclass overriding the camelCase method overrides its aliases too.
 */
export function defineAliases(target: abstract new (...args: never[]) => object, aliases: Readonly<Record<string, string>>): void {
  const proto = target.prototype as Record<string, unknown>;
  for (const alias of Object.keys(aliases)) {
    const method = aliases[alias]!;
    Object.defineProperty(proto, alias, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: {
        [alias](this: Record<string, (...a: unknown[]) => unknown>, ...args: unknown[]) {
          return this[method]!(...args);
        },
      }[alias],
    });
  }
}
