import type { JWK } from 'jose';
import {
  RESPONSE_SIGNATURE_FAULTS,
  type ResponseSignatureFault,
  type ResponseSignatureFaults,
} from '../payments/response-signer';
import {
  applyIdTokenFault,
  ID_TOKEN_FAULTS,
  withAtHash,
  type IdTokenFault,
} from './id-token-faults';

export const TOKEN_RESPONSE_FAULTS = ['no-scope-no-expires-in', 'no-refresh-token'] as const;
export type TokenResponseFault = (typeof TOKEN_RESPONSE_FAULTS)[number];
/** Which ID token an idToken fault hits: the next one issued anywhere, or only in one place. */
export type IdTokenFaultTarget = 'any' | 'authorisation' | 'token';

export interface FaultSettings {
  idToken?: IdTokenFault;
  idTokenIn: IdTokenFaultTarget;
  tokenResponse?: TokenResponseFault;
  /** The next PIS or VRP response is signed over other bytes, or not signed at all. */
  responseSignature?: ResponseSignatureFault;
  /** true (default): each fault is used once, then cleared; false: until reset. */
  once: boolean;
}

export class FaultValidationError extends Error {}

function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new FaultValidationError(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Faults the next authorisation/token responses carry, for the connector's negative tests; it
 * also adds at_hash to token-endpoint ID tokens (what UK banks send) unless told not to.
 */
export class FaultInjector implements ResponseSignatureFaults {
  private settings: FaultSettings = { idTokenIn: 'any', once: true };

  constructor(private readonly signingJwk: JWK) {}

  set(input: unknown): FaultSettings {
    const body = (input ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body))
      throw new FaultValidationError('the body must be a JSON object');
    if (body.once !== undefined && typeof body.once !== 'boolean')
      throw new FaultValidationError('once must be a boolean');
    const settings: FaultSettings = {
      idToken: oneOf('idToken', body.idToken, ID_TOKEN_FAULTS),
      idTokenIn:
        oneOf('idTokenIn', body.idTokenIn, ['any', 'authorisation', 'token'] as const) ?? 'any',
      tokenResponse: oneOf('tokenResponse', body.tokenResponse, TOKEN_RESPONSE_FAULTS),
      responseSignature: oneOf(
        'responseSignature',
        body.responseSignature,
        RESPONSE_SIGNATURE_FAULTS,
      ),
      once: body.once !== false,
    };
    if (!settings.idToken && !settings.tokenResponse && !settings.responseSignature)
      throw new FaultValidationError('give idToken, tokenResponse and/or responseSignature');
    this.settings = settings;
    return this.current();
  }

  reset(): void {
    this.settings = { idTokenIn: 'any', once: true };
  }

  current(): FaultSettings {
    return { ...this.settings };
  }

  takeResponseSignatureFault(): ResponseSignatureFault | undefined {
    const fault = this.settings.responseSignature;
    if (fault && this.settings.once) this.settings.responseSignature = undefined;
    return fault;
  }

  private takeIdTokenFault(source: 'authorisation' | 'token'): IdTokenFault | undefined {
    const { idToken, idTokenIn, once } = this.settings;
    if (!idToken) return undefined;
    if (idTokenIn !== 'any' && idTokenIn !== source) return undefined;
    // at_hash only exists in token-endpoint ID tokens.
    if (idToken === 'no-at-hash' && source !== 'token') return undefined;
    if (once) this.settings.idToken = undefined;
    return idToken;
  }

  /** Rewrites the id_token in an authorisation response redirect (fragment or query). */
  async rewriteAuthorisationRedirect(location: string): Promise<string> {
    const url = new URL(location);
    const inFragment = url.hash.length > 1;
    const params = new URLSearchParams(inFragment ? url.hash.slice(1) : url.search);
    const idToken = params.get('id_token');
    if (!idToken) return location;
    const fault = this.takeIdTokenFault('authorisation');
    if (!fault) return location;
    params.set('id_token', await applyIdTokenFault(idToken, fault, this.signingJwk));
    if (inFragment) url.hash = params.toString();
    else url.search = params.toString();
    return url.toString();
  }

  /** Rewrites a successful token endpoint JSON response. */
  async rewriteTokenResponse(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out = { ...body };
    const fault = this.settings.tokenResponse;
    if (fault) {
      if (this.settings.once) this.settings.tokenResponse = undefined;
      if (fault === 'no-scope-no-expires-in') {
        delete out.scope;
        delete out.expires_in;
      } else {
        delete out.refresh_token;
      }
    }
    if (typeof out.id_token === 'string') {
      let idToken: string = out.id_token;
      const idFault = this.takeIdTokenFault('token');
      if (idFault !== 'no-at-hash' && typeof out.access_token === 'string')
        idToken = await withAtHash(idToken, out.access_token, this.signingJwk);
      if (idFault && idFault !== 'no-at-hash')
        idToken = await applyIdTokenFault(idToken, idFault, this.signingJwk);
      out.id_token = idToken;
    }
    return out;
  }
}
