import type { FlashSteps } from '../flash/steps.js';
import type { ProfileDefinition } from './types.js';

export const LIGHTSPARK_PROFILE: ProfileDefinition<FlashSteps> = { name: 'lightspark', base: 'flash', title: 'Lightspark', description: 'Not modelled yet (issue 16): decides as its reference until its overrides land.', overrides: {}, undecided: [] };
