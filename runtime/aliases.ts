/**
 * Operation-ID aliases: `hosts.QueryDevicesByFilterScroll` calls `hosts.queryDevicesByFilterScroll`.
 * Installed once per class in its prototype chain (nothing per instance), and forwarding through
 * `this` so that a subclass overriding the camelCase method overrides its aliases too.
 */

/**
 * Puts the aliases on an object of their own, inserted between the class's prototype and its
 * parent's: V8 makes every property added to a prototype in use cost a copy of its property
 * table, and the 2,700 aliases of all classes, added one by one, grew the heap by ~8 MB. An
 * object no one inherits from yet takes them cheaply. A method of the class itself still comes
 * first, and an alias still shadows what the parent class has of the same name.
 */
export function defineAliases(
  target: abstract new (...args: never[]) => object,
  aliases: Readonly<Record<string, string>>,
): void {
  const proto = target.prototype as object;
  const layer = Object.create(Object.getPrototypeOf(proto) as object | null) as Record<string, unknown>;
  for (const alias of Object.keys(aliases)) {
    const method = aliases[alias]!;
    Object.defineProperty(layer, alias, {
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
  Object.setPrototypeOf(proto, layer);
}

type AliasedClass = Function & { readonly aliases?: Readonly<Record<string, string>> };
const installed = new WeakSet<Function>();

/**
 * Installs the `static aliases` of `newTarget` and of its ancestors below `base` on their
 * prototypes, once per class, on first construction. Generated classes declare their aliases
 * as a static field rather than calling defineAliases at module level, so that a bundler can
 * drop the classes a program never uses (a top-level call would keep every class alive).
 */
export function installAliases(newTarget: Function, base: Function): void {
  for (
    let cls = newTarget as AliasedClass;
    cls !== base && typeof cls === "function";
    cls = Object.getPrototypeOf(cls)
  ) {
    // Ancestors are installed before descendants, so an installed class ends the walk.
    if (installed.has(cls)) return;
    installed.add(cls);
    if (Object.hasOwn(cls, "aliases") && cls.aliases) defineAliases(cls as never, cls.aliases);
  }
}
