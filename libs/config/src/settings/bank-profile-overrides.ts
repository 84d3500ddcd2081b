import { ParseOutcome, SettingValue } from './setting.types';

export interface BankApiOverride {
  baseUrl?: string;
  /** The OB version the bank serves this API in (the profile schema checks the value). */
  version?: string;
  /** This API's x-fapi-financial-id when it is not the profile's financialId. */
  financialId?: string;
}

/** Per-profile values that banks do not publish, or that differ per deployment. */
export interface BankProfileOverride {
  issuerUrl?: string;
  wellKnownUrl?: string;
  financialId?: string;
  apis?: {
    accountAndTransaction?: BankApiOverride;
    paymentInitiation?: BankApiOverride;
    variableRecurringPayments?: BankApiOverride;
  };
  tls?: { caBundleFile?: string };
  /** The bank's response signatures: whether to verify them, and against which keys. */
  messageSigning?: {
    verifyResponseSignatures?: boolean;
    jwksUrl?: string;
    issuer?: string;
    trustAnchor?: string;
    b64Header?: boolean;
  };
  /**
   * Members laid over the profile's discovery.metadataOverrides, e.g. the endpoints of a bank
   * without a discovery document (discovery.mode 'none').
   */
  discovery?: { metadataOverrides?: Record<string, unknown> };
}

const API_NAMES = [
  'accountAndTransaction',
  'paymentInitiation',
  'variableRecurringPayments',
] as const;
/** The profile members BANK_PROFILE_OVERRIDES may set (also checked by @obc/bank-profiles). */
export const PROFILE_OVERRIDE_KEYS: {
  readonly top: readonly string[];
  readonly api: readonly string[];
  readonly messageSigning: readonly string[];
} = {
  top: ['issuerUrl', 'wellKnownUrl', 'financialId', 'apis', 'tls', 'messageSigning', 'discovery'],
  api: ['baseUrl', 'version', 'financialId'],
  messageSigning: ['verifyResponseSignatures', 'jwksUrl', 'issuer', 'trustAnchor', 'b64Header'],
};
const TOP_KEYS = PROFILE_OVERRIDE_KEYS.top;
const MESSAGE_SIGNING_KEYS = PROFILE_OVERRIDE_KEYS.messageSigning;
const API_KEYS = PROFILE_OVERRIDE_KEYS.api;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** Checks one profile's overrides; returns the problems found (empty when valid). */
function checkOverride(id: string, o: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(o)) {
    if (!TOP_KEYS.includes(key))
      problems.push(`${id}.${key} is not a known override (known: ${TOP_KEYS.join(', ')})`);
  }
  for (const key of ['issuerUrl', 'wellKnownUrl'] as const) {
    if (o[key] !== undefined && !isHttpUrl(o[key]))
      problems.push(`${id}.${key} must be an http(s) URL`);
  }
  if (o.financialId !== undefined && (typeof o.financialId !== 'string' || o.financialId === '')) {
    problems.push(`${id}.financialId must be a non-empty string`);
  }
  if (o.apis !== undefined) {
    if (!isObject(o.apis)) {
      problems.push(`${id}.apis must be an object`);
    } else {
      for (const [api, value] of Object.entries(o.apis)) {
        if (!(API_NAMES as readonly string[]).includes(api)) {
          problems.push(`${id}.apis.${api} is not a known API (known: ${API_NAMES.join(', ')})`);
        } else if (!isObject(value) || Object.keys(value).some((k) => !API_KEYS.includes(k))) {
          problems.push(`${id}.apis.${api} must be an object { ${API_KEYS.join(', ')} }`);
        } else if (value.baseUrl !== undefined && !isHttpUrl(value.baseUrl)) {
          problems.push(`${id}.apis.${api}.baseUrl must be an http(s) URL`);
        } else if (value.version !== undefined && typeof value.version !== 'string') {
          problems.push(`${id}.apis.${api}.version must be a string such as 'v3.1.11'`);
        } else if (
          value.financialId !== undefined &&
          (typeof value.financialId !== 'string' || value.financialId === '')
        ) {
          problems.push(`${id}.apis.${api}.financialId must be a non-empty string`);
        }
      }
    }
  }
  if (o.tls !== undefined) {
    if (!isObject(o.tls) || Object.keys(o.tls).some((k) => k !== 'caBundleFile')) {
      problems.push(`${id}.tls must be an object { caBundleFile }`);
    } else if (
      o.tls.caBundleFile !== undefined &&
      (typeof o.tls.caBundleFile !== 'string' || o.tls.caBundleFile === '')
    ) {
      problems.push(`${id}.tls.caBundleFile must be a file path`);
    }
  }
  if (o.messageSigning !== undefined) problems.push(...checkMessageSigning(id, o.messageSigning));
  if (o.discovery !== undefined) {
    // Each member is checked by the profile schema once laid over the profile.
    if (
      !isObject(o.discovery) ||
      Object.keys(o.discovery).some((k) => k !== 'metadataOverrides') ||
      (o.discovery.metadataOverrides !== undefined && !isObject(o.discovery.metadataOverrides))
    )
      problems.push(`${id}.discovery must be an object { metadataOverrides: { member: value } }`);
  }
  return problems;
}

function checkMessageSigning(id: string, m: unknown): string[] {
  const at = `${id}.messageSigning`;
  if (!isObject(m) || Object.keys(m).some((k) => !MESSAGE_SIGNING_KEYS.includes(k)))
    return [`${at} must be an object { ${MESSAGE_SIGNING_KEYS.join(', ')} }`];
  const problems: string[] = [];
  for (const key of ['verifyResponseSignatures', 'b64Header'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'boolean')
      problems.push(`${at}.${key} must be true or false`);
  }
  if (m.jwksUrl !== undefined && !isHttpUrl(m.jwksUrl))
    problems.push(`${at}.jwksUrl must be an http(s) URL`);
  for (const key of ['issuer', 'trustAnchor'] as const) {
    if (m[key] !== undefined && (typeof m[key] !== 'string' || m[key] === ''))
      problems.push(`${at}.${key} must be a non-empty string`);
  }
  return problems;
}

/** Refines a parsed JSON object into `Record<profileId, BankProfileOverride>`. */
export function refineBankProfileOverrides(value: SettingValue): ParseOutcome {
  if (!isObject(value))
    return { ok: false, expected: 'expected a JSON object of profileId -> overrides' };
  const problems: string[] = [];
  for (const [id, o] of Object.entries(value)) {
    if (!isObject(o)) problems.push(`${id} must be an object of overrides`);
    else problems.push(...checkOverride(id, o));
  }
  if (problems.length) {
    return {
      ok: false,
      expected: `expected a JSON object of profileId -> overrides: ${problems.join('; ')}`,
    };
  }
  return { ok: true, value };
}
