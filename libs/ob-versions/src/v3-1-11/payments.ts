import {
  ADDRESS_TYPE,
  MULTI_AUTHORISATION_STATUS,
  PAYMENT_STATUS,
  V4_PAYMENT_CONTEXT_CODES,
  toV3,
  toV4,
} from './codes';
import {
  assertMaxLength,
  assertShape,
  isRecord,
  Json,
  mapObjects,
  renameKey,
  Shape,
  unsupportedByVersion,
} from './shape';

// --- v4.0 requests → v3.1.11 -------------------------------------------------------------------

/**
 * A v4.0 payment or VRP request (consent, payment) as v3.1.11 carries it; throws
 * `bank-profile/unsupported-by-version` naming the first field v3.1.11 cannot carry.
 */
export function paymentRequestToV3(body: Json, shape: Shape): Json {
  const out = structuredClone(body);
  const data = isRecord(out.Data) ? out.Data : undefined;
  for (const part of ['Initiation', 'Instruction'] as const) {
    const value = data?.[part];
    if (isRecord(value)) data![part] = initiationToV3(value, `Data.${part}`);
  }
  if (isRecord(out.Risk)) out.Risk = riskToV3(out.Risk);
  assertShape(out, shape, '');
  return out;
}

function initiationToV3(initiation: Json, path: string): Json {
  let out = { ...initiation };
  if (isRecord(out.CreditorPostalAddress))
    out.CreditorPostalAddress = addressToV3(
      out.CreditorPostalAddress,
      `${path}.CreditorPostalAddress`,
    );
  if (isRecord(out.RemittanceInformation))
    out = {
      ...out,
      RemittanceInformation: remittanceToV3(
        out.RemittanceInformation,
        `${path}.RemittanceInformation`,
      ),
    };
  return out;
}

function addressToV3(address: Json, path: string): Json {
  assertMaxLength(address.StreetName, 70, `${path}.StreetName`);
  assertMaxLength(address.TownName, 35, `${path}.TownName`);
  return 'AddressType' in address
    ? { ...address, AddressType: toV3(ADDRESS_TYPE, address.AddressType) }
    : address;
}

/**
 * v4.0 `{ Unstructured: string[], Structured: [...] }` → v3.1.11 `{ Unstructured: string,
 * Reference: string }`: one unstructured line, and a structured entry holding only a creditor
 * reference (what v3.1.11's Reference is).
 */
function remittanceToV3(remittance: Json, path: string): Json {
  const { Unstructured, Structured, ...rest } = remittance;
  const out: Json = { ...rest };
  if (Array.isArray(Unstructured)) {
    if (Unstructured.length > 1)
      throw unsupportedByVersion(
        `${path}.Unstructured`,
        'holds more than one line; v3.1.11 carries one',
      );
    if (Unstructured.length === 1) out.Unstructured = Unstructured[0];
  } else if (Unstructured !== undefined) out.Unstructured = Unstructured;
  if (Array.isArray(Structured) && Structured.length > 0) {
    if (Structured.length > 1)
      throw unsupportedByVersion(
        `${path}.Structured`,
        'holds more than one entry; v3.1.11 carries one reference',
      );
    const entry = Structured[0] as unknown;
    const at = `${path}.Structured[0]`;
    if (!isRecord(entry)) throw unsupportedByVersion(at);
    for (const key of Object.keys(entry))
      if (key !== 'CreditorReferenceInformation') throw unsupportedByVersion(`${at}.${key}`);
    const cri = entry.CreditorReferenceInformation;
    if (isRecord(cri)) {
      for (const key of Object.keys(cri))
        if (key !== 'Reference')
          throw unsupportedByVersion(`${at}.CreditorReferenceInformation.${key}`);
      assertMaxLength(cri.Reference, 35, `${at}.CreditorReferenceInformation.Reference`);
      if (cri.Reference !== undefined) out.Reference = cri.Reference;
    }
  } else if (Structured !== undefined && !Array.isArray(Structured)) {
    throw unsupportedByVersion(`${path}.Structured`);
  }
  return out;
}

function riskToV3(risk: Json): Json {
  const out = renameKey(risk, 'ContractPresentIndicator', 'ContractPresentInidicator');
  if (isRecord(out.DeliveryAddress)) {
    const address = out.DeliveryAddress;
    const path = 'Risk.DeliveryAddress';
    assertMaxLength(address.StreetName, 70, `${path}.StreetName`);
    assertMaxLength(address.TownName, 35, `${path}.TownName`);
    for (const required of ['TownName', 'Country'])
      if (address[required] === undefined)
        throw unsupportedByVersion(`${path}.${required}`, 'is required by v3.1.11');
  }
  return out;
}

// --- v3.1.11 responses → v4.0 ------------------------------------------------------------------

/**
 * A v3.1.11 payment or VRP consent / resource response as v4.0 shapes it: status words to
 * codes (`statusTable` for Data.Status), VRP's flat StatusReason to the v4.0 list, addresses,
 * remittance information and Risk.
 */
export function paymentResponseToV4(
  body: unknown,
  statusTable: Readonly<Record<string, string>>,
): unknown {
  if (!isRecord(body)) return body;
  const out = mapObjects(body, (obj, key) => {
    let next = obj;
    if ('AddressType' in next)
      next = { ...next, AddressType: toV4(ADDRESS_TYPE, next.AddressType) };
    if (key === 'RemittanceInformation') next = remittanceToV4(next);
    return next;
  }) as Json;
  if (isRecord(out.Data)) out.Data = dataToV4(out.Data, statusTable);
  if (isRecord(out.Risk)) out.Risk = riskToV4(out.Risk);
  return out;
}

function dataToV4(data: Json, statusTable: Readonly<Record<string, string>>): Json {
  const out: Json = { ...data };
  if ('Status' in out) out.Status = toV4(statusTable, out.Status);
  if (typeof out.StatusReason === 'string' || typeof out.StatusReasonDescription === 'string') {
    out.StatusReason = [statusReasonToV4(out.StatusReason, out.StatusReasonDescription)];
    delete out.StatusReasonDescription;
  }
  if (isRecord(out.MultiAuthorisation) && 'Status' in out.MultiAuthorisation)
    out.MultiAuthorisation = {
      ...out.MultiAuthorisation,
      Status: toV4(MULTI_AUTHORISATION_STATUS, out.MultiAuthorisation.Status),
    };
  return out;
}

/**
 * VRP's flat v3.1.11 reason (a namespaced word such as UK.OBIE.ExemptionNotApplied) in v4.0's
 * list entry: a code of up to 4 characters stays a code; a longer word leads the description.
 */
function statusReasonToV4(reason: unknown, description: unknown): Json {
  const text = typeof description === 'string' ? description : undefined;
  if (typeof reason !== 'string') return { StatusReasonDescription: text };
  if (reason.length <= 4)
    return {
      StatusReasonCode: reason,
      ...(text !== undefined ? { StatusReasonDescription: text } : {}),
    };
  return { StatusReasonDescription: (text ? `${reason}: ${text}` : reason).slice(0, 500) };
}

function remittanceToV4(remittance: Json): Json {
  const { Unstructured, Reference, ...rest } = remittance;
  const out: Json = { ...rest };
  if (typeof Unstructured === 'string') out.Unstructured = [Unstructured];
  else if (Unstructured !== undefined) out.Unstructured = Unstructured;
  if (typeof Reference === 'string')
    out.Structured = [{ CreditorReferenceInformation: { Reference } }];
  return out;
}

function riskToV4(risk: Json): Json {
  const out = renameKey(risk, 'ContractPresentInidicator', 'ContractPresentIndicator');
  // v3.1.11-only context codes (PispPayee, BillPayment, EcommerceGoods, ...) have no v4.0 value.
  if (
    typeof out.PaymentContextCode === 'string' &&
    !V4_PAYMENT_CONTEXT_CODES.includes(out.PaymentContextCode)
  )
    delete out.PaymentContextCode;
  return out;
}

/**
 * Payment details (PIS and VRP): each status word to its ISO code. v3.1.11's StatusDetail.Status
 * is the rail's free text; v4.0 wants a code, so text no table knows gives way to the entry's own
 * status, and a reason word longer than v4.0's 4 characters leads the description.
 */
export function paymentDetailsToV4(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.Data) || !Array.isArray(body.Data.PaymentStatus))
    return body;
  return {
    ...body,
    Data: {
      ...body.Data,
      PaymentStatus: body.Data.PaymentStatus.map((entry: unknown) => {
        if (!isRecord(entry)) return entry;
        const status = toV4(PAYMENT_STATUS, entry.Status);
        const out: Json = { ...entry, Status: status };
        if (isRecord(entry.StatusDetail)) {
          const detail: Json = { ...entry.StatusDetail };
          const railStatus = detail.Status;
          detail.Status =
            typeof railStatus === 'string' && railStatus in PAYMENT_STATUS
              ? PAYMENT_STATUS[railStatus]
              : ISO_STATUS.test(String(railStatus))
                ? railStatus
                : status;
          if (typeof detail.StatusReason === 'string' && detail.StatusReason.length > 4) {
            const reason = statusReasonToV4(detail.StatusReason, detail.StatusReasonDescription);
            delete detail.StatusReason;
            detail.StatusReasonDescription = reason.StatusReasonDescription;
          }
          out.StatusDetail = detail;
        }
        return out;
      }),
    },
  };
}

const ISO_STATUS = /^[A-Z]{4}$/;

export { PAYMENT_STATUS };
