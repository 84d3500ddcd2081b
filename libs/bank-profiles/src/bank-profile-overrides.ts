import { PROFILE_OVERRIDE_KEYS } from '@obc/config';
import { validateProfileDocument } from './bank-profile.schema';
import { BANK_APIS, BankApiKind, BankProfileDefinition } from './bank-profile.types';
import type { ProfileOverride } from './bank-profiles.config';

/** Where overrides come from, as the operator knows it. */
export const OVERRIDES_SOURCE = 'BANK_PROFILE_OVERRIDES';

const OVERRIDE_KEYS = PROFILE_OVERRIDE_KEYS.top;
const MESSAGE_SIGNING_KEYS = PROFILE_OVERRIDE_KEYS.messageSigning;
const API_OVERRIDE_KEYS = PROFILE_OVERRIDE_KEYS.api;

function overrideProblems(
  id: string,
  override: ProfileOverride,
  definition: BankProfileDefinition,
): string[] {
  const at = `${OVERRIDES_SOURCE}['${id}']`;
  const problems: string[] = [];
  for (const key of Object.keys(override)) {
    if (!OVERRIDE_KEYS.includes(key)) {
      problems.push(
        `${at}: /${key} cannot be overridden; overridable: ${OVERRIDE_KEYS.join(', ')}`,
      );
    }
  }
  for (const [api, value] of Object.entries(override.apis ?? {})) {
    if (!(BANK_APIS as readonly string[]).includes(api)) {
      problems.push(`${at}: /apis/${api} is not an API; use one of ${BANK_APIS.join(', ')}`);
    } else if (!definition.apis[api as BankApiKind]) {
      problems.push(
        `${at}: /apis/${api} is not declared by the profile, so its version is unknown; declare it in the profile file instead`,
      );
    } else if (
      value === null ||
      typeof value !== 'object' ||
      Object.keys(value).some((k) => !API_OVERRIDE_KEYS.includes(k))
    ) {
      problems.push(`${at}: /apis/${api} may only hold { ${API_OVERRIDE_KEYS.join(', ')} }`);
    }
  }
  if (override.tls && Object.keys(override.tls).some((k) => k !== 'caBundleFile')) {
    problems.push(`${at}: /tls may only hold { caBundleFile }`);
  }
  const signing: unknown = override.messageSigning;
  if (
    signing !== undefined &&
    (signing === null ||
      typeof signing !== 'object' ||
      Object.keys(signing).some((k) => !MESSAGE_SIGNING_KEYS.includes(k)))
  ) {
    problems.push(`${at}: /messageSigning may only hold { ${MESSAGE_SIGNING_KEYS.join(', ')} }`);
  }
  const discovery: unknown = override.discovery;
  if (
    discovery !== undefined &&
    (discovery === null ||
      typeof discovery !== 'object' ||
      Object.keys(discovery).some((k) => k !== 'metadataOverrides'))
  ) {
    problems.push(`${at}: /discovery may only hold { metadataOverrides }`);
  }
  return problems;
}

/**
 * Applies the operator's per-profile values. Every override must name a loaded profile (a typo
 * would otherwise silently leave a bank unconfigured), and the result is validated against the
 * schema again so an overridden URL is checked like one in a file.
 */
export function applyOverrides(
  definitions: Map<string, BankProfileDefinition>,
  overrides: Record<string, ProfileOverride>,
): { definitions: Map<string, BankProfileDefinition>; problems: string[] } {
  const problems: string[] = [];
  const result = new Map(definitions);
  const known = [...definitions.keys()].sort();
  for (const [id, override] of Object.entries(overrides)) {
    const definition = definitions.get(id);
    if (!definition) {
      problems.push(
        `${OVERRIDES_SOURCE}: override for unknown bank profile '${id}' (known: ${known.join(', ') || 'none'}); fix the id or add a profile file to bank-profiles/ or BANK_PROFILES_EXTRA_DIR`,
      );
      continue;
    }
    const shapeProblems = overrideProblems(id, override, definition);
    if (shapeProblems.length) {
      problems.push(...shapeProblems);
      continue;
    }
    const merged: BankProfileDefinition = structuredClone(definition);
    if (override.issuerUrl !== undefined) merged.issuerUrl = override.issuerUrl;
    if (override.wellKnownUrl !== undefined) merged.wellKnownUrl = override.wellKnownUrl;
    if (override.financialId !== undefined) merged.financialId = override.financialId;
    for (const api of BANK_APIS) {
      const baseUrl = override.apis?.[api]?.baseUrl;
      const version = override.apis?.[api]?.version;
      const financialId = override.apis?.[api]?.financialId;
      const declared = merged.apis[api];
      if (baseUrl !== undefined && declared) declared.baseUrl = baseUrl;
      if (financialId !== undefined && declared) declared.financialId = financialId;
      // A bank moving between OB versions; the schema check below refuses an unknown version.
      if (version !== undefined && declared) declared.version = version as typeof declared.version;
    }
    if (override.tls?.caBundleFile !== undefined)
      merged.tls = { ...merged.tls, caBundleFile: override.tls.caBundleFile };
    // Member by member: the schema checks each value when the merged profile is validated.
    if (override.messageSigning !== undefined)
      merged.messageSigning = { ...merged.messageSigning, ...override.messageSigning };
    // Member by member too: e.g. the endpoints of a bank without discovery (discovery.mode
    // 'none'), or of a bank whose document omits them, as the operator was told them.
    if (override.discovery?.metadataOverrides !== undefined)
      merged.discovery = {
        ...merged.discovery,
        metadataOverrides: {
          ...merged.discovery.metadataOverrides,
          ...override.discovery.metadataOverrides,
        },
      };
    const validated = validateProfileDocument(
      merged,
      `${OVERRIDES_SOURCE}['${id}'] (applied to ${id})`,
    );
    if (validated.ok) result.set(id, validated.definition);
    else problems.push(...validated.problems);
  }
  return { definitions: result, problems };
}
