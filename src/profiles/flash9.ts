import type { FlashSteps } from '../flash/steps.js';
import type { ProfileDefinition } from './types.js';

export const FLASH9_PROFILE: ProfileDefinition<FlashSteps> = { name: 'flash9', base: 'flash', title: 'Flash Player 9', description: 'Not modelled yet (issue 16): decides as its reference until its overrides land.', overrides: {}, undecided: [] };
