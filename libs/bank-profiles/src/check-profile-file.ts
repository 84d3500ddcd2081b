import { readProfileFile } from './bank-profile-file';

export interface ProfileFileCheck {
  ok: boolean;
  /** One line per problem: file, field (JSON pointer) and fix. */
  errors: string[];
}

/**
 * Checks one profile file the way start-up does (syntax, schema, id and file name, required
 * values), without configuration overrides. Backs `npm run profile:check`.
 */
export function checkProfileFile(path: string): ProfileFileCheck {
  const result = readProfileFile(path);
  return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.problems };
}
