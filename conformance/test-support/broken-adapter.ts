/**
 * A deliberately broken implementation for the tests of `xdpolicy conform`: our own decision core
 * (conformance/kit/adapter.ts) with one fault chosen on the command line.
 *
 *   --fault ignore-load-policy   decides as if no Security.loadPolicyFile call had been made
 *   --fault crash-after=N        answers N cases, then exits with status 7
 *   --fault hang-on=ID           never answers case ID (answers the others)
 *   --fault garbage-after=N      answers N cases, then writes a line that is not an answer
 *   --fault error-on=PREFIX      answers {"error"} for cases whose id starts with PREFIX
 *   --fault reverse              answers each batch of 4 requests in reverse order (the last batch
 *                                after 50 ms without a request)
 *   --fault silent               reads everything and answers nothing
 *   --fault slow-start=MS        waits MS ms before it reads its first request (a slow start-up)
 */
import { createInterface } from 'node:readline';
import { answerLine } from '../kit/adapter.js';
import { protocolLine } from '../kit/protocol.js';

const arg = process.argv.indexOf('--client');
const client = arg === -1 ? 'flash' : process.argv[arg + 1]!;
const faults = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--fault' ? [a] : []));
const value = (name: string): string | undefined => faults.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);

let answered = 0;
let batch: string[] = [];
let flushTimer: NodeJS.Timeout | undefined;
const flush = (): void => {
  clearTimeout(flushTimer);
  const answers = batch.reverse();
  batch = [];
  for (const a of answers) out(a);
};
const out = (line: string): void => {
  process.stdout.write(line);
  answered++;
  if (value('crash-after') !== undefined && answered >= Number(value('crash-after'))) {
    process.stderr.write('broken-adapter: crashing on purpose\n');
    process.exit(7);
  }
  if (value('garbage-after') !== undefined && answered >= Number(value('garbage-after'))) process.stdout.write('debug: oops\n');
};

if (value('slow-start') !== undefined) await new Promise((r) => setTimeout(r, Number(value('slow-start'))));

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const request = JSON.parse(line) as { id: string; loadPolicy?: string[] };
  if (faults.includes('silent')) continue;
  if (request.id === value('hang-on')) continue;
  const prefix = value('error-on');
  if (prefix !== undefined && request.id.startsWith(prefix)) {
    out(protocolLine({ id: request.id, error: 'not implemented here' }));
    continue;
  }
  if (faults.includes('ignore-load-policy')) delete request.loadPolicy;
  const answer = protocolLine(answerLine(JSON.stringify(request), client));
  if (faults.includes('reverse')) {
    batch.push(answer);
    clearTimeout(flushTimer);
    if (batch.length === 4) flush();
    else flushTimer = setTimeout(flush, 50);
  } else out(answer);
}
flush();
