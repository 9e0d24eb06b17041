import type { SilverlightSteps } from '../silverlight/steps.js';
import type { ProfileDefinition } from './types.js';

export const MOONLIGHT_PROFILE: ProfileDefinition<SilverlightSteps> = { name: 'moonlight', base: 'silverlight', title: 'Moonlight', description: 'Not modelled yet (issue 16): decides as its reference until its overrides land.', overrides: {}, undecided: [] };
