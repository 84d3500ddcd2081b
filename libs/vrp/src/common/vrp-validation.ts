import { DomainError, type FieldError } from '@obc/common';
import { ISO_CURRENCIES } from './currencies';

/** OBVRPConsentType values of the v4.0 VRP API. */
export const VRP_TYPES = ['UK.OBIE.VRPType.Sweeping', 'UK.OBIE.VRPType.Other'] as const;

/** OBActiveCurrencyAndAmount_SimpleType: up to 13 digits, up to 5 decimals. */
const DECIMAL = /^\d{1,13}(\.\d{1,5})?$/;

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(code: string, title: string, field: string, message: string): DomainError {
  const errors: FieldError[] = [{ field, message }];
  return new DomainError(code, 'validation', title, { detail: `${field} ${message}.`, errors });
}

/** A decimal string greater than zero, or payment/invalid-amount. */
export function assertAmount(value: unknown, field: string): void {
  if (typeof value !== 'string' || !DECIMAL.test(value) || !/[1-9]/.test(value)) {
    throw invalid(
      'payment/invalid-amount',
      'The amount is not valid',
      field,
      'must be a decimal string greater than zero (e.g. "10.50")',
    );
  }
}

/** A known ISO 4217 code, or payment/unknown-currency. */
export function assertCurrency(value: unknown, field: string): void {
  if (typeof value !== 'string' || !ISO_CURRENCIES.has(value)) {
    throw invalid(
      'payment/unknown-currency',
      'The currency is not known',
      field,
      'must be an active ISO 4217 currency code (e.g. "GBP")',
    );
  }
}

function assertAmountAndCurrency(value: unknown, field: string): void {
  const amount = isRecord(value) ? value : {};
  assertAmount(amount.Amount, `${field}.Amount`);
  assertCurrency(amount.Currency, `${field}.Currency`);
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
  assertAmountAndCurrency(cp.MaximumIndividualAmount, `${base}.MaximumIndividualAmount`);
  const limits = Array.isArray(cp.PeriodicLimits) ? cp.PeriodicLimits : [];
  limits.forEach((limit, i) => assertAmountAndCurrency(limit, `${base}.PeriodicLimits[${i}]`));
}

/** The InstructedAmount of an OBDomesticVRPRequest, checked before any bank call. */
export function assertVrpRequest(request: Json): void {
  const data = isRecord(request.Data) ? request.Data : {};
  const instruction = isRecord(data.Instruction) ? data.Instruction : {};
  assertAmountAndCurrency(
    instruction.InstructedAmount,
    'externalApiRequest.Data.Instruction.InstructedAmount',
  );
}

/** The InstructedAmount of an OBVRPFundsConfirmationRequest. */
export function assertFundsConfirmationRequest(request: Json): void {
  const data = isRecord(request.Data) ? request.Data : {};
  assertAmountAndCurrency(data.InstructedAmount, 'externalApiRequest.Data.InstructedAmount');
}

/** The request with Data.ConsentId set to the bank's consent id (callers need not know it). */
export function withConsentId(request: Json, bankConsentId: string): Json {
  const data = isRecord(request.Data) ? request.Data : {};
  return { ...request, Data: { ...data, ConsentId: bankConsentId } };
}
