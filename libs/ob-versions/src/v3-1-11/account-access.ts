import {
  ACCOUNT_SUB_TYPE,
  ADDRESS_TYPE,
  AMOUNT_SUB_TYPE,
  BALANCE_TYPE,
  CONSENT_STATUS,
  MANDATE_STATUS,
  TRANSACTION_STATUS,
  toV4,
} from './codes';
import { V3_ACCOUNT_ACCESS_CONSENT_SHAPE } from './payment-shapes';
import { assertShape, isRecord, Json, mapObjects, renameKey } from './shape';

/** OBReadConsent1 is the same in both versions; only keys v3.1.11 knows may be sent. */
export function accountAccessConsentRequestToV3(body: Json): Json {
  assertShape(body, V3_ACCOUNT_ACCESS_CONSENT_SHAPE, '');
  return structuredClone(body);
}

/** OBReadConsentResponse1: the status word to its code. */
export function accountAccessConsentResponseToV4(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.Data)) return body;
  return { ...body, Data: { ...body.Data, Status: toV4(CONSENT_STATUS, body.Data.Status) } };
}

/**
 * Any v3.1.11 AISP read (accounts, balances, transactions, beneficiaries, direct debits, standing
 * orders, scheduled payments, statements, parties, products, offers) as v4.0 shapes it. Each
 * rule is keyed on where the value sits (the array or object that holds it), so one walk serves
 * every resource.
 */
export function aispReadResponseToV4(body: unknown): unknown {
  return mapObjects(body, (obj, key) => {
    let out = obj;
    if ('AddressType' in out) out = { ...out, AddressType: toV4(ADDRESS_TYPE, out.AddressType) };
    if ((key === 'Amount' || key === 'LocalAmount') && 'SubType' in out)
      out = { ...out, SubType: toV4(AMOUNT_SUB_TYPE, out.SubType) };
    switch (key) {
      case 'Balance':
        if ('Type' in out) out = { ...out, Type: toV4(BALANCE_TYPE, out.Type) };
        break;
      case 'Transaction':
        if ('Status' in out) out = { ...out, Status: toV4(TRANSACTION_STATUS, out.Status) };
        break;
      case 'Account':
        out = accountToV4(out);
        break;
      case 'DirectDebit':
        out = directDebitToV4(out);
        break;
      case 'StandingOrder':
        out = standingOrderToV4(out);
        break;
    }
    return out;
  });
}

function accountToV4(account: Json): Json {
  let out = renameKey(account, 'AccountType', 'AccountCategory');
  if ('AccountSubType' in out) {
    out = renameKey(out, 'AccountSubType', 'AccountTypeCode');
    out.AccountTypeCode = toV4(ACCOUNT_SUB_TYPE, out.AccountTypeCode);
  }
  return out;
}

function directDebitToV4(directDebit: Json): Json {
  const { MandateIdentification, Frequency, ...rest } = directDebit;
  const out: Json = { ...rest };
  if ('DirectDebitStatusCode' in out)
    out.DirectDebitStatusCode = toV4(MANDATE_STATUS, out.DirectDebitStatusCode);
  if (MandateIdentification !== undefined || Frequency !== undefined) {
    out.MandateRelatedInformation = {
      ...(MandateIdentification !== undefined ? { MandateIdentification } : {}),
      // v4.0 requires a frequency in MandateRelatedInformation; a mandate without one is ad hoc.
      Frequency: typeof Frequency === 'string' ? frequencyToV4(Frequency) : { Type: 'ADHO' },
    };
  }
  return out;
}

function standingOrderToV4(standingOrder: Json): Json {
  const { Frequency, Reference, FirstPaymentDateTime, FinalPaymentDateTime, ...rest } =
    standingOrder;
  const out: Json = { ...rest };
  if ('StandingOrderStatusCode' in out)
    out.StandingOrderStatusCode = toV4(MANDATE_STATUS, out.StandingOrderStatusCode);
  if (
    Frequency !== undefined ||
    FirstPaymentDateTime !== undefined ||
    FinalPaymentDateTime !== undefined
  ) {
    out.MandateRelatedInformation = {
      ...(FirstPaymentDateTime !== undefined ? { FirstPaymentDateTime } : {}),
      ...(FinalPaymentDateTime !== undefined ? { FinalPaymentDateTime } : {}),
      Frequency: typeof Frequency === 'string' ? frequencyToV4(Frequency) : { Type: 'ADHO' },
    };
  }
  if (typeof Reference === 'string') {
    const remittance = isRecord(out.RemittanceInformation) ? out.RemittanceInformation : {};
    out.RemittanceInformation = {
      ...remittance,
      Structured: [{ CreditorReferenceInformation: { Reference } }],
    };
  }
  return out;
}

/** A direct debit's v3.1.11 frequency is a namespaced word; NotKnown stays as v4.0's pattern allows. */
const DIRECT_DEBIT_FREQUENCY: Readonly<Record<string, string>> = {
  'UK.OBIE.Annual': 'YEAR',
  'UK.OBIE.Daily': 'DAIL',
  'UK.OBIE.Fortnightly': 'FRTN',
  'UK.OBIE.HalfYearly': 'MIAN',
  'UK.OBIE.Monthly': 'MNTH',
  'UK.OBIE.NotKnown': 'NotKnown',
  'UK.OBIE.Quarterly': 'QURT',
  'UK.OBIE.Weekly': 'WEEK',
};

/**
 * The v3.1.11 frequency string (`EvryDay`, `EvryWorkgDay`, `IntrvlWkDay:01:03`,
 * `IntrvlMnthDay:01:15`, `QtrDay:ENGLISH`, ...) as the v4.0 OBFrequency6 object. A pattern with
 * no v4.0 code keeps its v3.1.11 text as the Type (v4.0's Type still accepts that syntax);
 * anything else is NotKnown.
 */
export function frequencyToV4(frequency: string): Json {
  const pointInTime = (day: string): Json => {
    const n = Number(day);
    return Number.isInteger(n) && n >= 1 && n <= 31
      ? { PointInTime: String(n).padStart(2, '0') }
      : {};
  };
  const named = DIRECT_DEBIT_FREQUENCY[frequency];
  if (named) return { Type: named };
  if (frequency === 'EvryDay') return { Type: 'DAIL' };
  if (frequency === 'EvryWorkgDay') return { Type: 'WODL' };
  if (frequency.startsWith('QtrDay:')) return { Type: 'QURT' };
  const week = /^IntrvlWkDay:(\d{2}):(\d{2})$/.exec(frequency);
  if (week) {
    const type = { '01': 'WEEK', '02': 'FRTN', '04': 'FOWK' }[week[1]];
    if (type) return { Type: type, ...pointInTime(week[2]) };
  }
  const month = /^IntrvlMnthDay:(\d{2}):(-?\d{2})$/.exec(frequency);
  if (month) {
    const type = { '01': 'MNTH', '03': 'QURT', '06': 'MIAN', '12': 'YEAR' }[month[1]];
    if (type) return { Type: type, ...pointInTime(month[2]) };
  }
  return { Type: V3_FREQUENCY_SYNTAX.test(frequency) ? frequency : 'NotKnown' };
}

/** The v3.1.11 frequency syntax, which v4.0 still accepts as a Type. */
const V3_FREQUENCY_SYNTAX =
  /^(NotKnown)$|^(EvryDay)$|^(EvryWorkgDay)$|^(IntrvlDay:((0[2-9])|([1-2][0-9])|3[0-1]))$|^(IntrvlWkDay:0[1-9]:0[1-7])$|^(WkInMnthDay:0[1-5]:0[1-7])$|^(IntrvlMnthDay:(0[1-6]|12|24):(-0[1-5]|0[1-9]|[12][0-9]|3[01]))$|^(QtrDay:(ENGLISH|SCOTTISH|RECEIVED))$/;
