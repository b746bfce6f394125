import { IntakeFoundation1763700000000 } from './1763700000000-intake-foundation';

/** Every migration, in order. Listed as classes so ts-jest and dist run the same list. */
export const MIGRATIONS = [IntakeFoundation1763700000000];
