import { DomainError } from '@obc/common';
import type { BankProfile } from './bank-profile.types';

const HOW_TO_ADD = 'add a profile file to bank-profiles/ or BANK_PROFILES_EXTRA_DIR';

function knownIdsText(knownIds: readonly string[]): string {
  return knownIds.length ? knownIds.join(', ') : 'none';
}

/** A caller named a profile that is not loaded (e.g. `bankProfile` in a request body). */
export class UnknownBankProfileError extends DomainError {
  constructor(id: string, knownIds: readonly string[]) {
    super('bank-profile/unknown', 'validation', 'Unknown bank profile', {
      detail: `No bank profile with id '${id}'. Known profiles: ${knownIdsText(knownIds)}. To use another bank, ${HOW_TO_ADD}.`,
      extensions: { knownProfiles: [...knownIds] },
    });
  }
}

/** GET /v1/manage/bank-profiles/{profileId} of an id that is not loaded. */
export class BankProfileNotFoundError extends DomainError {
  constructor(id: string, knownIds: readonly string[]) {
    super('bank-profile/not-found', 'not-found', 'Bank profile not found', {
      detail: `No bank profile with id '${id}'. Known profiles: ${knownIdsText(knownIds)}. To use another bank, ${HOW_TO_ADD}.`,
      extensions: { knownProfiles: [...knownIds] },
    });
  }
}

/**
 * The profile is loaded but lacks values the bank does not publish. Kind 'unprocessable': the
 * request is well-formed, the connector's configuration cannot serve it yet.
 */
export class BankProfileNotConfiguredError extends DomainError {
  constructor(profile: Pick<BankProfile, 'id' | 'missingConfiguration'>) {
    const example = JSON.stringify({ [profile.id]: exampleOverride(profile.missingConfiguration) });
    super('bank-profile/not-configured', 'unprocessable', 'Bank profile not configured', {
      detail:
        `Bank profile '${profile.id}' cannot be used until these values are configured: ` +
        `${profile.missingConfiguration.join(', ')}. Set them in BANK_PROFILE_OVERRIDES (or bankProfiles.overrides ` +
        `in the config file), e.g. BANK_PROFILE_OVERRIDES='${example}'.`,
      extensions: { missingConfiguration: [...profile.missingConfiguration] },
    });
  }
}

/** Turns 'apis.paymentInitiation.baseUrl' style keys into the override object to write. */
function exampleOverride(keys: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const key of keys) {
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = '...';
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}
