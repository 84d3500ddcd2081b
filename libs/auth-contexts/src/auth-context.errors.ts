import { DomainError } from '@obc/common';

/** Unknown and already used states look the same: a replay learns nothing. */
export class UnknownStateError extends DomainError {
  constructor() {
    super('auth/unknown-state', 'validation', 'Unknown or already used state', {
      detail:
        'The state does not match an open authorisation: it is unknown, or it was already used. Start a new authorisation.',
    });
  }
}

export class StateExpiredError extends DomainError {
  constructor() {
    super('auth/state-expired', 'validation', 'The authorisation has expired', {
      detail:
        'The authorisation context for this state expired before the bank redirected back. Start a new authorisation.',
    });
  }
}

const MAX_BANK_TEXT = 512;

/** The bank redirected with an OAuth error (the person declined, or the bank refused). */
export class BankAuthorisationError extends DomainError {
  constructor(error: string, description?: string) {
    const bankError = error.slice(0, MAX_BANK_TEXT);
    const bankErrorDescription = description?.slice(0, MAX_BANK_TEXT);
    super('auth/bank-error', 'validation', 'The bank did not authorise the consent', {
      detail: `The bank answered the authorisation with error '${bankError}'${
        bankErrorDescription ? `: ${bankErrorDescription}` : ''
      }.`,
      extensions: {
        bankError,
        ...(bankErrorDescription ? { bankErrorDescription } : {}),
      },
    });
  }
}

/** The redirect lacks a parameter the profile's response type requires. */
export class MissingRedirectParameterError extends DomainError {
  constructor(parameter: 'code' | 'id_token') {
    super(
      parameter === 'code' ? 'auth/missing-code' : 'auth/missing-id-token',
      'validation',
      'The redirect is missing a parameter',
      {
        detail: `The bank redirect must carry '${parameter}' for this bank's response type.`,
      },
    );
  }
}

export class ConsentNotAwaitingAuthorisationError extends DomainError {
  constructor(consentId: string, status: string) {
    super(
      'consent/not-awaiting-authorisation',
      'conflict',
      'The consent is not awaiting authorisation',
      {
        detail: `Consent '${consentId}' has status '${status}'; only a consent awaiting authorisation (AwaitingAuthorisation, AWAU) can be authorised.`,
        extensions: { consentStatus: status },
      },
    );
  }
}

export class RedirectUriNotRegisteredError extends DomainError {
  constructor(redirectUri: string, registered: string[]) {
    super(
      'auth-context/redirect-uri-not-registered',
      'validation',
      'The redirect URI is not registered',
      {
        detail: `'${redirectUri}' is not one of the bank registration's redirect URIs (${registered.join(
          ', ',
        )}).`,
        errors: [
          { field: 'redirectUri', message: 'must be a redirect URI of the bank registration' },
        ],
      },
    );
  }
}

export class NoAuthorizationEndpointError extends DomainError {
  constructor(profileId: string) {
    super(
      'discovery/no-authorization-endpoint',
      'bank-failure',
      "The bank's OpenID configuration has no authorization endpoint",
      {
        detail: `The OpenID configuration of bank profile '${profileId}' does not publish authorization_endpoint.`,
      },
    );
  }
}

/** RFC 9207: the redirect names another issuer than the bank this auth context was made for. */
export class IssuerMismatchError extends DomainError {
  constructor() {
    super('auth/issuer-mismatch', 'validation', 'The redirect came from another issuer', {
      detail:
        "The authorisation response's `iss` is not the issuer of the bank this consent belongs to (a possible mix-up attack); nothing was stored.",
    });
  }
}
