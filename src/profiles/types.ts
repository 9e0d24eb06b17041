/**
 * What a client profile is (spec/profiles.md): a declared delta of one reference procedure. A
 * profile names its base (`flash` or `silverlight`) and replaces some of the base's named steps
 * with small functions of its own, each tagged with the chapter-9 record it implements and the
 * client's source it rests on. Everything it does not override it takes from the base, whose own
 * step table is the reference (`src/flash/steps.ts`, `src/silverlight/steps.ts`).
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { ClientProfile, ProfileName } from '../decision/types.js';

/** Where a step of a profile comes from: the record of spec/…/9-divergences.md and the client's code. */
export interface StepTag {
  /**
   * The chapter-9 record the step implements: `flash/9#LS-1` is row `LS-1` of
   * spec/flash/9-divergences.md, `silverlight/9#11` row 11 of spec/silverlight/9-divergences.md.
   */
  record: string;
  /** The requirements of the reference this step departs from. */
  departsFrom: RequirementId[];
  /** What the client does here, in one sentence (the generated table's words). */
  does: string;
  /** The client's source for it: `file:line` (or a document and section), or UNVERIFIED with why. */
  source: string;
}

/** One overridden step: the function and its tag. */
export interface Override<F> {
  run: F;
  tag: StepTag;
}

/** The overrides of a step table `S`: any subset of its steps, each tagged. */
export type Overrides<S> = { [K in keyof S]?: Override<S[K]> };

/** Something the client's code does not decide, and what the profile does instead (say so, pick the nearest documented behaviour). */
export interface Undecided {
  /** What the code leaves open. */
  what: string;
  /** What the profile does, and why. */
  chose: string;
}

/** A client profile over a base procedure whose step table is `S`. */
export interface ProfileDefinition<S> {
  name: ProfileName;
  /** The reference procedure the profile is a delta of. */
  base: ClientProfile;
  /** The client, with its version or the commit read: `Lightspark @ d51ab6019`. */
  title: string;
  /** One paragraph for people (the CLI's help and the generated spec table). */
  description: string;
  /** The steps the profile replaces; every other step is the base's. */
  overrides: Overrides<S>;
  /** What the client's code does not decide and the profile had to choose. */
  undecided: Undecided[];
  /**
   * Chapter-9 records the client's code decides but this profile does not model yet, with the
   * corpus cases whose divergence entries therefore fail: the corpus runner expects them to fail,
   * so a profile that starts modelling one must take it off this list.
   */
  pending?: Pending[];
}

// PROF-3
/** A record a profile does not model yet (see {@link ProfileDefinition.pending}). */
export interface Pending {
  record: string;
  what: string;
  /**
   * Corpus case IDs whose entries for this profile fail until it is modelled: `id` for the requests
   * where the entry departs from the reference, `id#N` for request N whatever it says.
   */
  cases: string[];
}

// PROF-1
/** The step table of a profile: the base's steps with the overrides put in. Built once per profile. */
export function resolveSteps<S extends object>(base: S, overrides: Overrides<S>): S {
  const steps = { ...base };
  for (const key of Object.keys(overrides) as (keyof S)[]) {
    const o = overrides[key];
    if (o !== undefined) steps[key] = o.run as S[keyof S];
  }
  return Object.freeze(steps);
}
