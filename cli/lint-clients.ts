/**
 * `--clients LIST` of `xdpolicy lint`: which client profiles (spec/profiles.md) the compatibility
 * findings compare with the reference of the file's family (LINT-17). Its own module, so the lint
 * command's output options can change without touching it.
 *
 * @module
 */
import { PROFILE_NAMES, type ProfileName } from '../src/decision/types.js';
import { UsageError } from './io.js';

/**
 * Reads `--clients`: comma-separated profile names, `all` (every profile: `undefined`) or `none`
 * (`[]`). Throws {@link UsageError} naming an unknown name and the names it accepts.
 */
export function parseClientsList(value: string): ProfileName[] | undefined {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--clients '${value}' names no client; give ${PROFILE_NAMES.join(', ')}, all or none`);
  if (items.length === 1 && items[0] === 'all') return undefined;
  if (items.length === 1 && items[0] === 'none') return [];
  const out: ProfileName[] = [];
  for (const item of items) {
    if (!(PROFILE_NAMES as readonly string[]).includes(item)) throw new UsageError(`--clients: '${item}' is not a client profile (${PROFILE_NAMES.join(', ')}, or all, or none)`);
    if (!out.includes(item as ProfileName)) out.push(item as ProfileName);
  }
  return out;
}
