import { DomainError } from '@obc/common';
import { decodeJwtPayload } from '../shared/jwt-claims';

/**
 * A software statement assertion must be a JWT issued for this software: its software_id and
 * org_id claims must be the ones the statement is created with. (Its signature is the bank's to
 * verify against the directory; the connector only carries it.)
 */
export function assertSsaMatches(
  ssa: string,
  expected: { softwareId: string; organisationId: string },
): void {
  const claims = decodeJwtPayload(ssa);
  if (!claims) {
    throw new DomainError(
      'software-statement/invalid-ssa',
      'validation',
      'The software statement assertion is not a JWT',
      {
        detail: 'The SSA must be a compact JWS (header.payload.signature) with a JSON payload.',
      },
    );
  }
  const mismatches: string[] = [];
  if (claims.software_id !== expected.softwareId)
    mismatches.push(
      `software_id is '${String(claims.software_id)}', expected '${expected.softwareId}'`,
    );
  if (claims.org_id !== expected.organisationId)
    mismatches.push(`org_id is '${String(claims.org_id)}', expected '${expected.organisationId}'`);
  if (mismatches.length > 0) {
    throw new DomainError(
      'software-statement/ssa-mismatch',
      'validation',
      'The SSA was issued for other software',
      {
        detail: `The software statement assertion does not match: ${mismatches.join('; ')}.`,
      },
    );
  }
}
