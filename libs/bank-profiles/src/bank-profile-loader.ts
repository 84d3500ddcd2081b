import { displayPath, listProfileFiles, readProfileFile } from './bank-profile-file';
import { BankProfileLoadError } from './bank-profile-load.error';
import { applyOverrides } from './bank-profile-overrides';
import { resolveProfile } from './bank-profile-resolve';
import { BankProfile, BankProfileDefinition } from './bank-profile.types';
import type { BankProfilesConfig } from './bank-profiles.config';

/** Nest's Logger fits; kept as an interface so the loader runs (and is tested) without Nest. */
export interface BankProfileLoaderLogger {
  log(message: string): void;
  warn(message: string): void;
}

interface DirectoryLoad {
  definitions: Map<string, { definition: BankProfileDefinition; file: string }>;
  problems: string[];
}

function loadDirectory(dir: string, label: string): DirectoryLoad {
  const definitions: DirectoryLoad['definitions'] = new Map();
  const problems: string[] = [];
  let files: string[];
  try {
    files = listProfileFiles(dir);
  } catch (e) {
    return {
      definitions,
      problems: [`${label} ${(e as Error).message}; create it or fix the configured path`],
    };
  }
  for (const file of files) {
    const result = readProfileFile(file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const earlier = definitions.get(result.definition.id);
    if (earlier) {
      // Only possible as foo.json beside foo.yaml: which one wins would be an accident of order.
      problems.push(
        `${displayPath(file)}: /id '${result.definition.id}' is also defined by ${displayPath(earlier.file)} in the same directory; keep one of the two files`,
      );
      continue;
    }
    definitions.set(result.definition.id, { definition: result.definition, file });
  }
  return { definitions, problems };
}

/**
 * Loads the built-in profiles, then the extra directory (same id replaces the built-in), applies
 * configuration overrides and resolves each profile. Every problem found is reported at once in
 * one BankProfileLoadError, so an operator fixes them in one pass.
 */
export function loadBankProfiles(
  config: BankProfilesConfig,
  logger: BankProfileLoaderLogger,
): BankProfile[] {
  const builtin = loadDirectory(config.builtinDir, 'bank profiles directory');
  const problems = [...builtin.problems];
  const byId = new Map(builtin.definitions);
  if (config.extraDir) {
    const extra = loadDirectory(config.extraDir, 'BANK_PROFILES_EXTRA_DIR');
    problems.push(...extra.problems);
    for (const [id, entry] of extra.definitions) {
      const replaced = byId.get(id);
      if (replaced) {
        logger.log(
          `bank profile '${id}' from ${displayPath(entry.file)} replaces the built-in ${displayPath(replaced.file)}`,
        );
      }
      byId.set(id, entry);
    }
  }
  if (problems.length) throw new BankProfileLoadError(problems);

  const definitions = new Map([...byId].map(([id, entry]) => [id, entry.definition]));
  const overridden = applyOverrides(definitions, config.overrides ?? {});
  if (overridden.problems.length) throw new BankProfileLoadError(overridden.problems);
  const sharing = checkSharedRegistrations(overridden.definitions, (id) =>
    displayPath(byId.get(id)?.file ?? id),
  );
  if (sharing.length) throw new BankProfileLoadError(sharing);

  const profiles = [...overridden.definitions]
    .map(([id, definition]) => resolveProfile(definition, displayPath(byId.get(id)?.file ?? id)))
    .sort((a, b) => a.id.localeCompare(b.id));
  // Most shipped profiles wait for values their bank does not publish: one line says which. A
  // profile the operator did override but left incomplete is a mistake worth a warning each.
  const overriddenIds = new Set(Object.keys(config.overrides ?? {}));
  const unconfigured = profiles.filter((p) => !p.configured);
  for (const profile of unconfigured.filter((p) => overriddenIds.has(p.id))) {
    logger.warn(
      `bank profile '${profile.id}' is overridden but still not configured (missing ${profile.missingConfiguration.join(', ')}); set them in BANK_PROFILE_OVERRIDES to use it`,
    );
  }
  const waiting = unconfigured.filter((p) => !overriddenIds.has(p.id));
  if (waiting.length) {
    logger.log(
      `${waiting.length} bank profile(s) wait for values their bank does not publish (set them in BANK_PROFILE_OVERRIDES; GET /v1/manage/bank-profiles/{id} lists what each needs): ${waiting.map((p) => p.id).join(', ')}`,
    );
  }
  logger.log(`loaded ${profiles.length} bank profile(s): ${profiles.map((p) => p.id).join(', ')}`);
  return profiles;
}

/**
 * registration.sharedWith names a loaded profile that registers its own client: not itself, not
 * an unknown id, not a profile that shares another's (sharing is one level, so a brand's client
 * is always the one its named profile registered).
 */
export function checkSharedRegistrations(
  definitions: ReadonlyMap<string, BankProfileDefinition>,
  fileOf: (id: string) => string,
): string[] {
  const problems: string[] = [];
  for (const [id, definition] of definitions) {
    const named = definition.registration.sharedWith;
    if (named === undefined) continue;
    const at = `${fileOf(id)}: /registration/sharedWith`;
    const target = definitions.get(named);
    if (named === id) {
      problems.push(
        `${at} names the profile itself; remove it (a profile registers its own client unless it shares another profile's)`,
      );
    } else if (!target) {
      problems.push(
        `${at} names '${named}', which is not a loaded profile; set it to the id of the profile whose registration this brand shares (a file in bank-profiles/ or BANK_PROFILES_EXTRA_DIR) or remove it`,
      );
    } else if (target.registration.sharedWith !== undefined) {
      problems.push(
        `${at} names '${named}', which itself shares the registration of '${target.registration.sharedWith}' (${fileOf(named)}); name '${target.registration.sharedWith}' directly: sharing is one level`,
      );
    }
  }
  return problems;
}
