/**
 * The mock bank's own v3.1.11 ↔ v4.0 translation (the mock bank is the connector's peer and
 * imports nothing from libs/): v3.1.11 request bodies become the v4.0 bodies the v4.0 routers
 * serve, and their v4.0 responses go back in v3.1.11 words.
 */
type Json = Record<string, unknown>;
type Table = Readonly<Record<string, string>>;

const isRecord = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** v3.1.11 word → v4.0 code. */
const ADDRESS_TYPE: Table = {
  Business: 'BIZZ',
  Correspondence: 'CORR',
  DeliveryTo: 'DLVY',
  MailTo: 'MLTO',
  POBox: 'PBOX',
  Postal: 'ADDR',
  Residential: 'HOME',
  Statement: 'STAT',
};
/** v4.0 code → v3.1.11 word (each table below is that direction). */
const invert = (t: Table): Table => Object.fromEntries(Object.entries(t).map(([k, v]) => [v, k]));
const ADDRESS_TYPE_V3 = invert(ADDRESS_TYPE);
const BALANCE_TYPE_V3: Table = {
  CLAV: 'ClosingAvailable',
  CLBD: 'ClosingBooked',
  XPCD: 'Expected',
  FWAV: 'ForwardAvailable',
  INFO: 'Information',
  ITAV: 'InterimAvailable',
  ITBD: 'InterimBooked',
  OPAV: 'OpeningAvailable',
  OPBD: 'OpeningBooked',
  PRCD: 'PreviouslyClosedBooked',
};
const AMOUNT_SUB_TYPE_V3: Table = { BCUR: 'BaseCurrency', LCUR: 'LocalCurrency' };
const TRANSACTION_STATUS_V3: Table = {
  BOOK: 'Booked',
  PDNG: 'Pending',
  FUTR: 'Pending',
  RJCT: 'Rejected',
  INFO: 'Booked',
};
const ACCOUNT_SUB_TYPE_V3: Table = {
  CHAR: 'ChargeCard',
  CARD: 'CreditCard',
  CACC: 'CurrentAccount',
  MOMA: 'EMoney',
  LOAN: 'Loan',
  MORT: 'Mortgage',
  SVGS: 'Savings',
  WALT: 'Wallet',
};
const AIS_CONSENT_STATUS_V3: Table = {
  AWAU: 'AwaitingAuthorisation',
  AUTH: 'Authorised',
  RJCT: 'Rejected',
  CANC: 'Revoked',
  EXPD: 'Revoked',
};
const PAYMENT_CONSENT_STATUS_V3: Table = {
  AWAU: 'AwaitingAuthorisation',
  AUTH: 'Authorised',
  RJCT: 'Rejected',
  COND: 'Consumed',
  CANC: 'Rejected',
  EXPD: 'Rejected',
};
const VRP_CONSENT_STATUS_V3: Table = {
  AWAU: 'AwaitingAuthorisation',
  AUTH: 'Authorised',
  RJCT: 'Rejected',
  CANC: 'Rejected',
  EXPD: 'Rejected',
};
/** A payment's status: v3.1.11 has six words for a payment resource. */
const PAYMENT_STATUS_V3: Table = {
  RCVD: 'Pending',
  PDNG: 'Pending',
  ACTC: 'AcceptedSettlementInProcess',
  PATC: 'AcceptedSettlementInProcess',
  ACCP: 'AcceptedSettlementInProcess',
  ACFC: 'AcceptedSettlementInProcess',
  ACSP: 'AcceptedSettlementInProcess',
  ACWC: 'AcceptedSettlementInProcess',
  ACSC: 'AcceptedSettlementCompleted',
  ACWP: 'AcceptedWithoutPosting',
  ACCC: 'AcceptedCreditSettlementCompleted',
  BLCK: 'Rejected',
  RJCT: 'Rejected',
  CANC: 'Rejected',
};
/** Payment details have the full ISO list in words. */
const PAYMENT_DETAIL_STATUS_V3: Table = {
  RCVD: 'Received',
  PDNG: 'Pending',
  ACTC: 'AcceptedTechnicalValidation',
  PATC: 'PartiallyAcceptedTechnicalCorrect',
  ACCP: 'Accepted',
  ACFC: 'AcceptedFundsChecked',
  ACSP: 'AcceptedSettlementInProcess',
  ACWC: 'AcceptedWithChange',
  ACSC: 'AcceptedSettlementCompleted',
  ACWP: 'AcceptedWithoutPosting',
  ACCC: 'AcceptedCreditSettlementCompleted',
  BLCK: 'Rejected',
  RJCT: 'Rejected',
  CANC: 'Cancelled',
};
const MULTI_AUTH_STATUS_V3: Table = {
  AUTH: 'Authorised',
  AWAF: 'AwaitingFurtherAuthorisation',
  RJCT: 'Rejected',
};
const V4_PAYMENT_CONTEXT_CODES = [
  'BillingGoodsAndServicesInAdvance',
  'BillingGoodsAndServicesInArrears',
  'EcommerceMerchantInitiatedPayment',
  'FaceToFacePointOfSale',
  'TransferToSelf',
  'TransferToThirdParty',
];
/** v4.0's 4-character error codes → the v3.1.11 names. */
const ERROR_CODE_V3: Table = {
  U002: 'UK.OBIE.Field.Invalid',
  U003: 'UK.OBIE.Field.Missing',
  U010: 'UK.OBIE.Resource.NotFound',
  U011: 'UK.OBIE.Resource.ConsentMismatch',
  U012: 'UK.OBIE.Resource.InvalidConsentStatus',
  U013: 'UK.OBIE.Resource.InvalidFormat',
  U015: 'UK.OBIE.Signature.Invalid',
  U016: 'UK.OBIE.Signature.InvalidClaim',
  U017: 'UK.OBIE.Signature.MissingClaim',
  U018: 'UK.OBIE.Signature.Malformed',
  U019: 'UK.OBIE.Signature.Missing',
};

const map = (t: Table, v: unknown): unknown => (typeof v === 'string' ? (t[v] ?? v) : v);

function walk(
  value: unknown,
  fn: (obj: Json, key: string | undefined) => Json,
  key?: string,
): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, fn, key));
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, fn, k);
  return fn(out, key);
}

function rename(obj: Json, from: string, to: string): Json {
  if (!(from in obj)) return obj;
  const { [from]: value, ...rest } = obj;
  return { ...rest, [to]: value };
}

// --- requests: v3.1.11 → v4.0 -------------------------------------------------------------------

/** A v3.1.11 payment / VRP / consent request body as the v4.0 routers take it. */
export function requestToV4(body: unknown): unknown {
  return walk(body, (obj, key) => {
    let out = obj;
    if ('AddressType' in out) out = { ...out, AddressType: map(ADDRESS_TYPE, out.AddressType) };
    if (key === 'RemittanceInformation') {
      const { Unstructured, Reference, ...rest } = out;
      out = { ...rest };
      if (typeof Unstructured === 'string') out.Unstructured = [Unstructured];
      if (typeof Reference === 'string')
        out.Structured = [{ CreditorReferenceInformation: { Reference } }];
    }
    if (key === 'Risk') {
      out = rename(out, 'ContractPresentInidicator', 'ContractPresentIndicator');
      if (
        typeof out.PaymentContextCode === 'string' &&
        !V4_PAYMENT_CONTEXT_CODES.includes(out.PaymentContextCode)
      )
        delete out.PaymentContextCode;
    }
    return out;
  });
}

// --- responses: v4.0 → v3.1.11 ------------------------------------------------------------------

export type ResponseKind =
  | 'ais.consent'
  | 'ais.read'
  | 'pis.consent'
  | 'pis.payment'
  | 'payment.details'
  | 'vrp.consent'
  | 'vrp.payment'
  | 'passthrough';

/** Which translation a v3.1.11 operation's response needs. */
export function responseKindOf(operationId: string): ResponseKind {
  if (operationId.includes('AccountAccessConsents')) return 'ais.consent';
  if (/PaymentDetails|paymentDetails/i.test(operationId)) return 'payment.details';
  if (/FundsConfirmation/i.test(operationId)) return 'passthrough';
  if (operationId.includes('DomesticPaymentConsents')) return 'pis.consent';
  if (operationId.includes('DomesticPayments')) return 'pis.payment';
  if (operationId.startsWith('domesticVrpConsents')) return 'vrp.consent';
  if (operationId.startsWith('domesticVrp')) return 'vrp.payment';
  return 'ais.read';
}

/** A v4.0 response body in v3.1.11 words; `v4Base`/`v3Base` rewrite the Links. */
export function responseToV3(
  kind: ResponseKind,
  body: unknown,
  links: { v4Base: string; v3Base: string },
): unknown {
  if (!isRecord(body)) return body;
  if (Array.isArray(body.Errors)) return errorToV3(body);
  let out = walk(body, (obj, key) => {
    let next = obj;
    if ('AddressType' in next)
      next = { ...next, AddressType: map(ADDRESS_TYPE_V3, next.AddressType) };
    if (key === 'RemittanceInformation') {
      const { Unstructured, Structured, ...rest } = next;
      next = { ...rest };
      if (Array.isArray(Unstructured) && Unstructured.length > 0)
        next.Unstructured = Unstructured.join(' ');
      const reference = Array.isArray(Structured)
        ? (Structured as Json[])
            .map((s) => (s?.CreditorReferenceInformation as Json | undefined)?.Reference)
            .find((r) => typeof r === 'string')
        : undefined;
      if (reference !== undefined) next.Reference = reference;
    }
    if (key === 'Risk')
      next = rename(next, 'ContractPresentIndicator', 'ContractPresentInidicator');
    if (
      typeof next.Self === 'string' ||
      typeof next.First === 'string' ||
      typeof next.Next === 'string'
    )
      next = Object.fromEntries(
        Object.entries(next).map(([k, v]) => [
          k,
          typeof v === 'string' ? v.replace(links.v4Base, links.v3Base) : v,
        ]),
      );
    if (kind === 'ais.read') next = aisReadToV3(next, key);
    return next;
  }) as Json;
  if (isRecord(out.Data)) out = { ...out, Data: dataToV3(kind, out.Data) };
  // v3.1.11 requires Risk on a VRP; the v4.0 router does not echo it.
  if (kind === 'vrp.payment' && isRecord(out.Data) && !('Risk' in out)) out = { ...out, Risk: {} };
  return out;
}

function aisReadToV3(obj: Json, key: string | undefined): Json {
  let out = obj;
  if ((key === 'Amount' || key === 'LocalAmount') && 'SubType' in out)
    out = { ...out, SubType: map(AMOUNT_SUB_TYPE_V3, out.SubType) };
  if (key === 'Balance' && 'Type' in out) out = { ...out, Type: map(BALANCE_TYPE_V3, out.Type) };
  if (key === 'Transaction' && 'Status' in out)
    out = { ...out, Status: map(TRANSACTION_STATUS_V3, out.Status) };
  if (key === 'Account' && ('AccountCategory' in out || 'AccountTypeCode' in out)) {
    out = rename(
      rename(out, 'AccountCategory', 'AccountType'),
      'AccountTypeCode',
      'AccountSubType',
    );
    if (typeof out.AccountSubType === 'string') {
      const word = ACCOUNT_SUB_TYPE_V3[out.AccountSubType];
      if (word) out.AccountSubType = word;
      else delete out.AccountSubType;
    }
  }
  return out;
}

function dataToV3(kind: ResponseKind, data: Json): Json {
  const out: Json = { ...data };
  const status: Partial<Record<ResponseKind, Table>> = {
    'ais.consent': AIS_CONSENT_STATUS_V3,
    'pis.consent': PAYMENT_CONSENT_STATUS_V3,
    'pis.payment': PAYMENT_STATUS_V3,
    'vrp.consent': VRP_CONSENT_STATUS_V3,
    'vrp.payment': PAYMENT_STATUS_V3,
  };
  const table = status[kind];
  if (table && 'Status' in out) out.Status = map(table, out.Status);
  if (Array.isArray(out.StatusReason)) {
    const [first] = out.StatusReason as Json[];
    delete out.StatusReason;
    // v3.1.11 VRPs carry one flat reason; consents and payments carry none.
    if (kind === 'vrp.payment' && isRecord(first)) {
      if (typeof first.StatusReasonDescription === 'string')
        out.StatusReasonDescription = first.StatusReasonDescription;
    }
  }
  if (isRecord(out.MultiAuthorisation))
    out.MultiAuthorisation = {
      ...out.MultiAuthorisation,
      Status: map(MULTI_AUTH_STATUS_V3, out.MultiAuthorisation.Status),
    };
  if (kind === 'payment.details' && Array.isArray(out.PaymentStatus))
    out.PaymentStatus = (out.PaymentStatus as unknown[]).map((entry) => {
      if (!isRecord(entry)) return entry;
      const next: Json = { ...entry, Status: map(PAYMENT_DETAIL_STATUS_V3, entry.Status) };
      if (isRecord(entry.StatusDetail))
        next.StatusDetail = {
          ...entry.StatusDetail,
          Status: map(PAYMENT_DETAIL_STATUS_V3, entry.StatusDetail.Status),
        };
      return next;
    });
  return out;
}

function errorToV3(body: Json): Json {
  return {
    ...body,
    Errors: (body.Errors as unknown[]).map((e) =>
      isRecord(e) ? { ...e, ErrorCode: map(ERROR_CODE_V3, e.ErrorCode) } : e,
    ),
  };
}
