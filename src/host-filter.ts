/**
 * A membership filter over host names and suffixes, shared by both clients' compiled policies.
 *
 * Most lookups of a decision miss (every tail of the origin's host is tried against the index), and
 * a miss in a large `Map` costs a cache miss. A filter of 65,536 bits (8 KiB, which stays in cache)
 * answers most misses from memory: a key whose bit is clear is certainly absent; a set bit means
 * "look in the map". The cost of a decision then does not grow with the number of rules.
 *
 * Pure: no I/O, no Node-only imports.
 *
 * @module
 */

/** A host filter: 65,536 bits. */
export type HostFilter = Uint32Array;

const FILTER_WORDS = 2048;

/** An empty filter. */
export function createHostFilter(): HostFilter {
  return new Uint32Array(FILTER_WORDS);
}

/** A cheap 16-bit hash of a key from its length and four of its characters. */
function filterHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  h ^= Math.imul(s.charCodeAt(0), 0x85ebca77);
  h ^= Math.imul(s.charCodeAt(n - 1), 0xc2b2ae3d);
  h ^= Math.imul(s.charCodeAt(n >> 1), 0x27d4eb2f);
  h ^= Math.imul(s.charCodeAt(n >> 2), 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) & 0xffff;
}

/** Adds `key` to the filter. */
export function hostFilterAdd(filter: HostFilter, key: string): void {
  const h = filterHash(key);
  filter[h >>> 5]! |= 1 << (h & 31);
}

/** False when `key` was certainly never added; true when it may have been. */
export function hostFilterMayHave(filter: HostFilter, key: string): boolean {
  const h = filterHash(key);
  return (filter[h >>> 5]! & (1 << (h & 31))) !== 0;
}
