/**
 * Checks that work across copies of the package. A program can load two copies of a class:
 * the ESM and the CommonJS build side by side, or the root entry's bundled classes next to a
 * collection subpath's (`falconts` and `falconts/hosts`). `instanceof` compares prototypes, so
 * it would say no; these checks compare a Symbol.for() brand and class names instead.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * The body of a branded class's `static [Symbol.hasInstance]`: true when `value` carries the
 * brand and its class chain includes a class named like `cls` (so subclasses match too).
 * `root` is the class that sets the brand; every branded value is an instance of it.
 */
export function isBrandedInstance(cls: Function, value: unknown, brand: symbol, root: Function): boolean {
  // The ordinary prototype-chain answer first: it also covers prototypes (`Hosts.prototype
  // instanceof ServiceClass`), which carry no instance brand.
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!hasBrand(value, brand)) return false;
  if (cls === root) return true;
  for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === cls.name) return true;
  }
  return false;
}
