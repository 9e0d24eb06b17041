/**
 * The command line of every command: one parser, and one spelling of every option error, so that
 * `xdpolicy serve --timeout -5` and `xdpolicy certify --timeout -5` fail the same way, in words.
 *
 * - `--name VALUE` and `--name=VALUE`; a value may start with `-` (`--flash-port -1` is read, and
 *   refused as out of range, not taken for an option), unless it is itself one of the command's
 *   options (`--json --list` is "option --json needs a value").
 * - `-h` is `--help`; `--` ends the options; `-` alone is an argument (standard input).
 * - An option given twice is an error unless it is repeatable.
 *
 * Every error is a {@link UsageError} (exit 2), whose message the CLI prints after the command's
 * name; an unknown option or unexpected argument also prints the usage.
 *
 * @module
 */
import { UsageError } from './io.js';

/** How one option is read. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable: its values are collected in order. */
  multiple?: boolean;
}

/** A command's options, by long name without the dashes (`'flash-port'`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values read, typed by the specs: booleans, strings, or string arrays for repeatable options. */
export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['multiple'] extends true ? string[] : string;
};

/** `unknown option '--x'`, with the usage. */
export function unknownOption(arg: string, usage: string): UsageError {
  return new UsageError(`unknown option '${arg}'\n\n${usage}`);
}

/** `unexpected argument 'x'`, with the usage. */
export function unexpectedArgument(arg: string, usage: string): UsageError {
  return new UsageError(`unexpected argument '${arg}'\n\n${usage}`);
}

/** `option --x needs a value`. */
export function missingValue(option: string): UsageError {
  return new UsageError(`option ${option} needs a value`);
}

/** `option --x is given twice`. */
export function givenTwice(option: string): UsageError {
  return new UsageError(`option ${option} is given twice`);
}

/** `option --x takes no value`. */
export function takesNoValue(option: string): UsageError {
  return new UsageError(`option ${option} takes no value, got '${option}=…'`);
}

/** `--x 'v' is not one of a, b, c`. */
export function notOneOf(option: string, value: string, choices: readonly string[]): UsageError {
  return new UsageError(`${option} '${value}' is not one of ${choices.join(', ')}`);
}

/** `--x: reason`: a value the command could not use, the reason naming it. */
export function invalidValue(option: string, reason: string): UsageError {
  return new UsageError(`${option}: ${reason}`);
}

/** `--x WHAT is required (hint)`. */
export function missingOption(option: string, what: string, hint?: string): UsageError {
  return new UsageError(`${option} ${what} is required${hint === undefined ? '' : ` (${hint})`}`);
}

/**
 * Parses `args` against `specs`. `help` is true for `-h` or `--help` (the arguments after it are
 * then not checked); positionals are refused unless `positionals` is true.
 */
export function parseOptions<S extends OptionSpecs>(
  args: readonly string[],
  specs: S,
  options: { usage: string; positionals?: boolean },
): { values: OptionValues<S>; positionals: string[]; help: boolean } {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const isOption = (arg: string): boolean => arg === '-h' || arg === '--help' || (arg.startsWith('--') && Object.hasOwn(specs, arg.slice(2).split('=', 1)[0]!));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      for (const rest of args.slice(i + 1)) positionals.push(rest);
      break;
    }
    if (arg === '-h' || arg === '--help') return { values: values as OptionValues<S>, positionals, help: true };
    if (!arg.startsWith('-') || arg === '-') {
      if (!options.positionals) throw unexpectedArgument(arg, options.usage);
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const option = eq === -1 ? arg : arg.slice(0, eq);
    const name = option.slice(2);
    const spec = option.startsWith('--') && Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) throw unknownOption(arg, options.usage);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw takesNoValue(option);
      if (values[name] !== undefined) throw givenTwice(option);
      values[name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || isOption(next) || next === '--') throw missingValue(option);
      value = next;
      i++;
    }
    if (spec.multiple) ((values[name] ??= []) as string[]).push(value);
    else if (values[name] !== undefined) throw givenTwice(option);
    else values[name] = value;
  }
  return { values: values as OptionValues<S>, positionals, help: false };
}

/**
 * A whole number from `min` to `max` given to `option`, or `fallback` when it was not given:
 * `--timeout '-5' is not a whole number from 1 to 3600000`.
 */
export function integerOption(option: string, value: string | undefined, min: number, max: number): number | undefined;
export function integerOption(option: string, value: string | undefined, min: number, max: number, fallback: number): number;
export function integerOption(option: string, value: string | undefined, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${option} '${value}' is not a whole number from ${min} to ${max}`);
  return n;
}

/** A value of `choices` given to `option`, or undefined when it was not given. */
export function choiceOption<C extends string>(option: string, value: string | undefined, choices: readonly C[]): C | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw notOneOf(option, value, choices);
  return value as C;
}
