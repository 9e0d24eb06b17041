/**
 * The `flash` profile: Flash Player 10 and later, the reference (spec/flash/). It overrides
 * nothing: its steps are the reference table (`src/flash/steps.ts`).
 *
 * @module
 */
import type { FlashSteps } from '../flash/steps.js';
import type { ProfileDefinition } from './types.js';

/** Flash Player 10+, the reference. */
export const FLASH_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'flash',
  base: 'flash',
  title: 'Flash Player 10 and later (the reference)',
  description: 'Adobe Flash Player 10 and later, strict sockets: the procedure of spec/flash/, step by step.',
  overrides: {},
  undecided: [],
};
