import { DomainError } from '@obc/common';

export function consentNotAuthorisedError(id: string, status: string): DomainError {
  return new DomainError('consent/not-authorised', 'forbidden', 'The consent is not authorised', {
    detail: `Domestic payment consent '${id}' has status ${status}, not AUTH: create an auth context and let the customer authorise it.`,
  });
}

export function consentConsumedError(id: string): DomainError {
  return new DomainError('consent/consumed', 'conflict', 'The consent has been used', {
    detail: `Domestic payment consent '${id}' already paid its one payment (status COND); create a new consent.`,
  });
}

export function consentMismatchError(detail: string): DomainError {
  return new DomainError(
    'payment/consent-mismatch',
    'unprocessable',
    'The payment does not match its consent',
    { detail },
  );
}
