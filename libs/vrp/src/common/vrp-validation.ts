import { assertInstructedAmount, DomainError, type FieldError } from '@obc/common';

/** OBVRPConsentType values of the v4.0 VRP API. */
export const VRP_TYPES = ['UK.OBIE.VRPType.Sweeping', 'UK.OBIE.VRPType.Other'] as const;

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(code: string, title: string, field: string, message: string): DomainError {
  const errors: FieldError[] = [{ field, message }];
  return new DomainError(code, 'validation', title, { detail: `${field} ${message}.`, errors });
}

/**
 * What the connector checks itself in an OBDomesticVRPConsentRequest before calling the bank: the
 * control parameters the bank enforces on every later payment. The rest is the bank's to judge.
 */
export function assertVrpConsentRequest(request: Json): void {
  const data = isRecord(request.Data) ? request.Data : {};
  const cp = data.ControlParameters;
  if (!isRecord(cp)) {
    throw invalid(
      'vrp/control-parameters-missing',
      'The VRP consent has no control parameters',
      'externalApiRequest.Data.ControlParameters',
      'is required: a VRP consent without limits cannot be created',
    );
  }
  const base = 'externalApiRequest.Data.ControlParameters';
  const types = cp.VRPType;
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    !types.every((t) => (VRP_TYPES as readonly unknown[]).includes(t))
  ) {
    throw invalid(
      'vrp/invalid-vrp-type',
      'The VRP type is not valid',
      `${base}.VRPType`,
      `must be a non-empty list of ${VRP_TYPES.join(', ')}`,
    );
  }
  assertInstructedAmount(cp.MaximumIndividualAmount, `${base}.MaximumIndividualAmount`);
  const limits = Array.isArray(cp.PeriodicLimits) ? cp.PeriodicLimits : [];
  limits.forEach((limit, i) => assertInstructedAmount(limit, `${base}.PeriodicLimits[${i}]`));
}

/** The InstructedAmount of an OBDomesticVRPRequest, checked before any bank call. */
export function assertVrpRequest(request: Json): void {
  const data = isRecord(request.Data) ? request.Data : {};
  const instruction = isRecord(data.Instruction) ? data.Instruction : {};
  assertInstructedAmount(
    instruction.InstructedAmount,
    'externalApiRequest.Data.Instruction.InstructedAmount',
  );
}

/** The InstructedAmount of an OBVRPFundsConfirmationRequest. */
export function assertFundsConfirmationRequest(request: Json): void {
  const data = isRecord(request.Data) ? request.Data : {};
  assertInstructedAmount(data.InstructedAmount, 'externalApiRequest.Data.InstructedAmount');
}

/** The request with Data.ConsentId set to the bank's consent id (callers need not know it). */
export function withConsentId(request: Json, bankConsentId: string): Json {
  const data = isRecord(request.Data) ? request.Data : {};
  return { ...request, Data: { ...data, ConsentId: bankConsentId } };
}
