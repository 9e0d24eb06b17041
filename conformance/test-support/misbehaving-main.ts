/**
 * Runs one misbehaving server (see `misbehaving.ts`) in this process until it is killed, or until
 * it exits by its own defect. Prints `LISTENING <port>` once it listens.
 *
 * ```
 * npx tsx conformance/test-support/misbehaving-main.ts <kind> ['{"client":"silverlight","port":10943,"idleMs":10000}']
 * ```
 *
 * @module
 */
import { MISBEHAVIOURS, runMisbehaving, type Misbehaviour, type MisbehavingOptions } from './misbehaving.js';

const [kind, json] = process.argv.slice(2);
if (!MISBEHAVIOURS.includes(kind as Misbehaviour)) {
  process.stderr.write(`usage: misbehaving-main.ts ${MISBEHAVIOURS.join('|')} [options as JSON]\n`);
  process.exit(2);
}
let options: MisbehavingOptions = {};
try {
  options = json ? (JSON.parse(json) as MisbehavingOptions) : {};
} catch (err) {
  process.stderr.write(`misbehaving-main.ts: the options are not JSON: ${(err as Error).message}\n`);
  process.exit(2);
}
const { port } = await runMisbehaving(kind as Misbehaviour, options);
process.stdout.write(`LISTENING ${port}\n`);
