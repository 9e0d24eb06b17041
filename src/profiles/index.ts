/**
 * The client profiles (spec/profiles.md): one definition per client, each a declared delta of a
 * reference procedure. This registry is the one list of them: the decision function, the command
 * line and the generated spec table read it. Adding a client is its definition file, its name in
 * `PROFILE_NAMES` (src/decision/types.ts) and its line here — plus its corpus cases.
 *
 * @module
 */
import type { ClientProfile, ProfileName } from '../decision/types.js';
import { PROFILE_NAMES } from '../decision/types.js';
import { FLASH_STEPS, type FlashSteps } from '../flash/steps.js';
import { SILVERLIGHT_STEPS, type SilverlightSteps } from '../silverlight/steps.js';
import { FLASH_PROFILE } from './flash.js';
import { FLASH9_PROFILE } from './flash9.js';
import { GNASH_PROFILE } from './gnash.js';
import { LIGHTSPARK_PROFILE } from './lightspark.js';
import { MOONLIGHT_PROFILE } from './moonlight.js';
import { SILVERLIGHT_PROFILE } from './silverlight.js';
import { SWFDEC_PROFILE } from './swfdec.js';
import { UNITY_PROFILE } from './unity.js';
import { resolveSteps, type ProfileDefinition, type StepTag } from './types.js';

/** A profile over Flash Player's procedure. */
export type FlashProfileDefinition = ProfileDefinition<FlashSteps>;
/** A profile over Silverlight's procedure (its policy forms are its own). */
export type SilverlightProfileDefinition = ProfileDefinition<SilverlightSteps<unknown, unknown>>;
/** Any profile. */
export type AnyProfileDefinition = FlashProfileDefinition | SilverlightProfileDefinition;

/** A set of profile definitions by name: {@link PROFILES}, or a variant of it (tests disable one override at a time). */
export type ProfileRegistry = Readonly<Record<ProfileName, AnyProfileDefinition>>;

/** Every profile, by name. */
export const PROFILES: ProfileRegistry = {
  flash: FLASH_PROFILE,
  flash9: FLASH9_PROFILE,
  lightspark: LIGHTSPARK_PROFILE,
  unity: UNITY_PROFILE,
  swfdec: SWFDEC_PROFILE,
  gnash: GNASH_PROFILE,
  silverlight: SILVERLIGHT_PROFILE,
  moonlight: MOONLIGHT_PROFILE as unknown as SilverlightProfileDefinition,
};

/** The definition of a profile. */
export function profileDefinition(name: ProfileName): AnyProfileDefinition {
  return PROFILES[name];
}

/** The family (reference procedure) of a profile: the base its definition names. */
export function profileFamily(name: ProfileName): ClientProfile {
  return PROFILES[name].base;
}

/** The profiles of a family, reference first, in {@link PROFILE_NAMES} order. */
export function profilesOf(family: ClientProfile): ProfileName[] {
  return PROFILE_NAMES.filter((n) => PROFILES[n].base === family);
}

/** One override of a profile as the generated table and the tools list it: the step it replaces and its tag. */
export interface ProfileOverride {
  profile: ProfileName;
  step: string;
  tag: StepTag;
}

/** The overrides of a profile, in its definition's order (none for a reference profile). */
export function profileOverrides(name: ProfileName, registry: ProfileRegistry = PROFILES): ProfileOverride[] {
  const def = registry[name];
  const out: ProfileOverride[] = [];
  for (const [step, o] of Object.entries(def.overrides) as [string, { tag: StepTag } | undefined][]) {
    if (o !== undefined) out.push({ profile: name, step, tag: o.tag });
  }
  return out;
}

const tables = new WeakMap<AnyProfileDefinition, FlashSteps | SilverlightSteps<unknown, unknown>>();

/** The Flash step table of a Flash-family profile: the reference with its overrides in, built once per definition. */
export function flashStepsOf(name: ProfileName, registry: ProfileRegistry = PROFILES): FlashSteps {
  const def = registry[name];
  if (def.base !== 'flash') throw new Error(`profile ${name} is not a Flash profile`);
  let steps = tables.get(def) as FlashSteps | undefined;
  if (steps === undefined) {
    steps = Object.keys(def.overrides).length === 0 ? FLASH_STEPS : resolveSteps(FLASH_STEPS, (def as FlashProfileDefinition).overrides);
    tables.set(def, steps);
  }
  return steps;
}

/** The Silverlight step table of a Silverlight-family profile: the reference with its overrides in, built once per definition. */
export function silverlightStepsOf(name: ProfileName, registry: ProfileRegistry = PROFILES): SilverlightSteps<unknown, unknown> {
  const def = registry[name];
  if (def.base !== 'silverlight') throw new Error(`profile ${name} is not a Silverlight profile`);
  let steps = tables.get(def) as SilverlightSteps<unknown, unknown> | undefined;
  if (steps === undefined) {
    const base = SILVERLIGHT_STEPS as unknown as SilverlightSteps<unknown, unknown>;
    steps = Object.keys(def.overrides).length === 0 ? base : resolveSteps(base, (def as SilverlightProfileDefinition).overrides);
    tables.set(def, steps);
  }
  return steps;
}

/** `registry` with one override of one profile taken out: the reference's step runs there instead (for tests proving each override matters). */
export function withoutOverride(name: ProfileName, step: string, registry: ProfileRegistry = PROFILES): ProfileRegistry {
  const def = registry[name];
  const overrides: Record<string, unknown> = { ...def.overrides };
  if (!(step in overrides)) throw new Error(`profile ${name} does not override ${step}`);
  delete overrides[step];
  return { ...registry, [name]: { ...def, overrides } as AnyProfileDefinition };
}
