/**
 * Collection helpers that stay correct whatever the size of their input.
 *
 * Spreading an array into a call (`out.push(...items)`, `Math.max(...values)`, `f(...args)`)
 * puts every element on the stack as an argument. V8 throws `RangeError: Maximum call stack size
 * exceeded` somewhere past a hundred thousand elements, and input within every parse limit gets
 * there: 62,000 granting rules (2.7 MB) give a check 124,000 findings. So no code of this
 * repository spreads an array into a call (test/no-call-spread.test.ts checks every file); it
 * loops, through these helpers.
 *
 * A map built from input is a `Map` or a {@link dictionary}: in a plain object, the key
 * `__proto__` sets the object's prototype instead of adding an entry, and is silently lost.
 *
 * Pure: no I/O, no Node-only imports (the package root and the browser playground use it).
 *
 * @module
 */

/** Appends every item to `into`, one by one (never as call arguments); returns `into`. */
export function pushAll<T>(into: T[], items: Iterable<T>): T[] {
  for (const item of items) into.push(item);
  return into;
}

/** The largest of `values`, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max: number | undefined;
  for (const v of values) if (max === undefined || v > max) max = v;
  return max ?? empty;
}

/** The smallest of `values`, or `empty` when there are none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let min: number | undefined;
  for (const v of values) if (min === undefined || v < min) min = v;
  return min ?? empty;
}

/**
 * An empty object without a prototype, for records keyed by input: every key, `__proto__`
 * included, is an own entry, and no key reads an inherited member (`constructor`, `toString`).
 * JSON.stringify, Object.keys/entries and spreading treat it as any other object.
 */
export function dictionary<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
