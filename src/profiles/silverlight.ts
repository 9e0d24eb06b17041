/**
 * The `silverlight` profile: Silverlight 4/5 in the browser, the reference (spec/silverlight/). It
 * overrides nothing: its steps are the reference table (`src/silverlight/steps.ts`).
 *
 * @module
 */
import type { SilverlightSteps } from '../silverlight/steps.js';
import type { ProfileDefinition } from './types.js';

/** Silverlight 4/5 in the browser, the reference. */
export const SILVERLIGHT_PROFILE: ProfileDefinition<SilverlightSteps> = {
  name: 'silverlight',
  base: 'silverlight',
  title: 'Silverlight 4/5 in the browser (the reference)',
  description: 'Microsoft Silverlight 4 and 5 in the browser, without elevated trust: the procedure of spec/silverlight/, step by step.',
  overrides: {},
  undecided: [],
};
