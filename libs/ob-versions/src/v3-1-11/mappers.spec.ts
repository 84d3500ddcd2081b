import { DomainError } from '@obc/common';
import { accountAccessMapper, paymentInitiationMapper, vrpMapper } from '../api-version-mapper';
import { exampleOf, schemaErrors, type SpecApi } from '../testing/ob-spec';

type Json = Record<string, unknown>;

/** A deep copy without the given dotted paths (`[]` walks every element of an array). */
function without(value: unknown, paths: string[]): Json {
  const copy = structuredClone(value) as Json;
  for (const path of paths) remove(copy, path.split('.'));
  return copy;
}
function remove(node: unknown, keys: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => remove(n, keys));
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = keys;
  const obj = node as Json;
  if (rest.length === 0) delete obj[head];
  else remove(obj[head], rest);
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** v4.0 address fields v3.1.11 has no place for. */
const V4_ONLY_ADDRESS = [
  'BuildingName',
  'Floor',
  'UnitNumber',
  'Room',
  'PostBox',
  'TownLocationName',
  'DistrictName',
  'CareOf',
];
/** Whatever a v4.0 initiation holds that v3.1.11 cannot carry. */
function v4OnlyInitiation(at: string): string[] {
  return [
    `${at}.DebtorAccount.Proxy`,
    `${at}.CreditorAccount.Proxy`,
    `${at}.CreditorAgent`,
    `${at}.UltimateCreditor`,
    `${at}.UltimateDebtor`,
    `${at}.RegulatoryReporting`,
    ...V4_ONLY_ADDRESS.map((f) => `${at}.CreditorPostalAddress.${f}`),
  ];
}
const V4_ONLY_RISK = [
  'Risk.CategoryPurposeCode',
  'Risk.DeliveryAddress.AddressType',
  'Risk.DeliveryAddress.Department',
  'Risk.DeliveryAddress.SubDepartment',
  ...V4_ONLY_ADDRESS.map((f) => `Risk.DeliveryAddress.${f}`),
];

/** The official v4.0 example, less what v3.1.11 cannot carry; one structured reference kept. */
function supportedV4(api: SpecApi, schema: string, parts: string[]): Json {
  const example = exampleOf('v4.0', api, schema);
  expect(schemaErrors('v4.0', api, schema, example)).toEqual([]);
  const body = without(example, [...parts.flatMap(v4OnlyInitiation), ...V4_ONLY_RISK]);
  for (const part of parts) {
    const remittance = (body.Data as Json)[part.replace('Data.', '')] as Json | undefined;
    const info = remittance?.RemittanceInformation as Json | undefined;
    if (info) info.Structured = [{ CreditorReferenceInformation: { Reference: 'INV-0001' } }];
  }
  expect(schemaErrors('v4.0', api, schema, body)).toEqual([]);
  return body;
}

/**
 * Both documents double-escape the pattern of the products' "Other...Code" fields
 * ("^\\\\w{0,4}$" in JSON: a literal backslash), which no real code matches.
 */
function withoutPatternDefect(errors: string[]): string[] {
  return errors.filter((e) => !/\/Code must match pattern "\^\\+w\{0,4\}\$"/.test(e));
}

describe('AIS v3.1.11 mappers over the official documents', () => {
  const mapper = accountAccessMapper('v3.1.11');

  it('sends the v4.0 consent request as v3.1.11 and reads the v3.1.11 consent as v4.0', () => {
    const request = exampleOf('v4.0', 'account-info', 'OBReadConsent1') as Json;
    expect(
      schemaErrors('v3.1.11', 'account-info', 'OBReadConsent1', mapper.consentRequest(request)),
    ).toEqual([]);
    for (const status of ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked']) {
      const response = exampleOf('v3.1.11', 'account-info', 'OBReadConsentResponse1') as Json;
      (response.Data as Json).Status = status;
      expect(schemaErrors('v3.1.11', 'account-info', 'OBReadConsentResponse1', response)).toEqual(
        [],
      );
      expect(
        schemaErrors(
          'v4.0',
          'account-info',
          'OBReadConsentResponse1',
          mapper.consentResponse(response),
        ),
      ).toEqual([]);
    }
  });

  it.each([
    'OBReadAccount6',
    'OBReadBalance1',
    'OBReadTransaction6',
    'OBReadBeneficiary5',
    'OBReadDirectDebit2',
    'OBReadStandingOrder6',
    'OBReadScheduledPayment3',
    'OBReadStatement2',
    'OBReadParty2',
    'OBReadParty3',
    'OBReadProduct2',
    'OBReadOffer1',
  ])('maps a complete v3.1.11 %s to a valid v4.0 one', (schema) => {
    const v3 = exampleOf('v3.1.11', 'account-info', schema);
    expect(withoutPatternDefect(schemaErrors('v3.1.11', 'account-info', schema, v3))).toEqual([]);
    const v4 = mapper.readResponse(v3);
    expect(withoutPatternDefect(schemaErrors('v4.0', 'account-info', schema, v4))).toEqual([]);
  });

  it('translates the code sets that changed', () => {
    const balance = mapper.readResponse({
      Data: {
        Balance: [
          {
            Type: 'InterimAvailable',
            Amount: { Amount: '1.00', Currency: 'GBP', SubType: 'BaseCurrency' },
          },
        ],
      },
    }) as { Data: { Balance: Json[] } };
    expect(balance.Data.Balance[0]).toMatchObject({ Type: 'ITAV', Amount: { SubType: 'BCUR' } });
    const account = mapper.readResponse({
      Data: {
        Account: [{ AccountId: '1', AccountType: 'Personal', AccountSubType: 'CurrentAccount' }],
      },
    }) as { Data: { Account: Json[] } };
    expect(account.Data.Account[0]).toEqual({
      AccountId: '1',
      AccountCategory: 'Personal',
      AccountTypeCode: 'CACC',
    });
    const so = mapper.readResponse({
      Data: {
        StandingOrder: [
          {
            Frequency: 'IntrvlMnthDay:01:15',
            Reference: 'Rent',
            StandingOrderStatusCode: 'Active',
          },
        ],
      },
    }) as { Data: { StandingOrder: Json[] } };
    expect(so.Data.StandingOrder[0]).toEqual({
      StandingOrderStatusCode: 'ACTV',
      MandateRelatedInformation: { Frequency: { Type: 'MNTH', PointInTime: '15' } },
      RemittanceInformation: {
        Structured: [{ CreditorReferenceInformation: { Reference: 'Rent' } }],
      },
    });
  });

  it('leaves v4.0 banks alone', () => {
    const body = { Data: { Balance: [{ Type: 'InterimAvailable' }] } };
    expect(accountAccessMapper('v4.0').readResponse(body)).toBe(body);
  });
});

describe('PIS v3.1.11 mappers over the official documents', () => {
  const mapper = paymentInitiationMapper('v3.1.11');

  it('round-trips a domestic payment consent and its payment', () => {
    const consent = supportedV4('payment-initiation', 'OBWriteDomesticConsent4', [
      'Data.Initiation',
    ]);
    const v3Consent = mapper.consentRequest(consent);
    expect(
      schemaErrors('v3.1.11', 'payment-initiation', 'OBWriteDomesticConsent4', v3Consent),
    ).toEqual([]);

    const v3Response = exampleOf(
      'v3.1.11',
      'payment-initiation',
      'OBWriteDomesticConsentResponse5',
    ) as Json;
    Object.assign(v3Response.Data as Json, {
      Initiation: (v3Consent.Data as Json).Initiation,
      Status: 'AwaitingAuthorisation',
    });
    v3Response.Risk = v3Consent.Risk;
    expect(
      schemaErrors('v3.1.11', 'payment-initiation', 'OBWriteDomesticConsentResponse5', v3Response),
    ).toEqual([]);
    const v4Response = mapper.consentResponse(v3Response) as Json;
    expect(
      schemaErrors('v4.0', 'payment-initiation', 'OBWriteDomesticConsentResponse5', v4Response),
    ).toEqual([]);
    expect((v4Response.Data as Json).Initiation).toEqual((consent.Data as Json).Initiation);
    expect(v4Response.Risk).toEqual(consent.Risk);
    expect((v4Response.Data as Json).Status).toBe('AWAU');

    const payment = supportedV4('payment-initiation', 'OBWriteDomestic2', ['Data.Initiation']);
    const v3Payment = mapper.paymentRequest(payment);
    expect(schemaErrors('v3.1.11', 'payment-initiation', 'OBWriteDomestic2', v3Payment)).toEqual(
      [],
    );
  });

  it('maps v3.1.11 payment, details and funds confirmation responses to valid v4.0 ones', () => {
    for (const [schema, map] of [
      ['OBWriteDomesticResponse5', mapper.paymentResponse],
      ['OBWritePaymentDetailsResponse1', mapper.paymentDetailsResponse],
      ['OBWriteFundsConfirmationResponse1', mapper.fundsConfirmationResponse],
    ] as const) {
      const v3 = exampleOf('v3.1.11', 'payment-initiation', schema) as Json;
      // v3.1.11 leaves PaymentPurposeCode free text; a bank echoes the ISO code it was sent.
      if (v3.Risk) (v3.Risk as Json).PaymentPurposeCode = 'CASH';
      expect(schemaErrors('v3.1.11', 'payment-initiation', schema, v3)).toEqual([]);
      expect(schemaErrors('v4.0', 'payment-initiation', schema, map(v3))).toEqual([]);
    }
    const settled = mapper.paymentResponse({
      Data: { DomesticPaymentId: 'p', Status: 'AcceptedSettlementCompleted' },
    });
    expect(settled).toEqual({ Data: { DomesticPaymentId: 'p', Status: 'ACSC' } });
  });

  it.each([
    ['Data.Initiation.UltimateCreditor', { UltimateCreditor: { Name: 'Ultimate' } }],
    [
      'Data.Initiation.CreditorAccount.Proxy',
      {
        CreditorAccount: {
          SchemeName: 'UK.OBIE.SortCodeAccountNumber',
          Identification: '11280001234567',
          Name: 'Shop',
          Proxy: { Identification: '07700900000', Code: 'TELE' },
        },
      },
    ],
    [
      'Data.Initiation.RemittanceInformation.Unstructured',
      { RemittanceInformation: { Unstructured: ['one', 'two'] } },
    ],
    [
      'Data.Initiation.RemittanceInformation.Structured[0].Invoicer',
      { RemittanceInformation: { Structured: [{ Invoicer: 'Shop' }] } },
    ],
    [
      'Data.Initiation.CreditorPostalAddress.TownName',
      { CreditorPostalAddress: { TownName: 'T'.repeat(36) } },
    ],
    ['Data.Initiation.CreditorPostalAddress.Floor', { CreditorPostalAddress: { Floor: '3' } }],
  ])('refuses %s before any bank call', (field, extra) => {
    const consent = supportedV4('payment-initiation', 'OBWriteDomesticConsent4', [
      'Data.Initiation',
    ]);
    Object.assign((consent.Data as Json).Initiation as Json, extra);
    const error = refusal(() => mapper.consentRequest(consent));
    expect(error.code).toBe('bank-profile/unsupported-by-version');
    expect(error.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses the whole official v4.0 example, naming a field', () => {
    const error = refusal(() =>
      mapper.consentRequest(
        exampleOf('v4.0', 'payment-initiation', 'OBWriteDomesticConsent4') as Json,
      ),
    );
    expect(error.code).toBe('bank-profile/unsupported-by-version');
    expect(error.detail).toMatch(/^Data\.Initiation\.|^Risk\./);
  });

  it('refuses a v4.0-only Risk field', () => {
    const consent = supportedV4('payment-initiation', 'OBWriteDomesticConsent4', [
      'Data.Initiation',
    ]);
    (consent.Risk as Json).CategoryPurposeCode = 'CASH';
    expect(refusal(() => mapper.consentRequest(consent)).errors?.[0].field).toBe(
      'Risk.CategoryPurposeCode',
    );
  });
});

describe('VRP v3.1.11 mappers over the official documents', () => {
  const mapper = vrpMapper('v3.1.11');

  it('round-trips a VRP consent (control parameters unchanged) and sends a VRP and a funds check', () => {
    const consent = supportedV4('vrp', 'OBDomesticVRPConsentRequest', ['Data.Initiation']);
    const v3Consent = mapper.consentRequest(consent);
    expect(schemaErrors('v3.1.11', 'vrp', 'OBDomesticVRPConsentRequest', v3Consent)).toEqual([]);
    expect((v3Consent.Data as Json).ControlParameters).toEqual(
      (consent.Data as Json).ControlParameters,
    );

    const v3Response = exampleOf('v3.1.11', 'vrp', 'OBDomesticVRPConsentResponse') as Json;
    Object.assign(v3Response.Data as Json, {
      Initiation: (v3Consent.Data as Json).Initiation,
      ControlParameters: (v3Consent.Data as Json).ControlParameters,
    });
    v3Response.Risk = v3Consent.Risk;
    const v4Response = mapper.consentResponse(v3Response) as Json;
    expect(schemaErrors('v4.0', 'vrp', 'OBDomesticVRPConsentResponse', v4Response)).toEqual([]);
    expect((v4Response.Data as Json).Initiation).toEqual((consent.Data as Json).Initiation);

    const vrp = supportedV4('vrp', 'OBDomesticVRPRequest', ['Data.Initiation', 'Data.Instruction']);
    expect(
      schemaErrors('v3.1.11', 'vrp', 'OBDomesticVRPRequest', mapper.paymentRequest(vrp)),
    ).toEqual([]);

    const funds = exampleOf('v4.0', 'vrp', 'OBVRPFundsConfirmationRequest') as Json;
    expect(
      schemaErrors(
        'v3.1.11',
        'vrp',
        'OBVRPFundsConfirmationRequest',
        mapper.fundsConfirmationRequest(funds),
      ),
    ).toEqual([]);
  });

  it('maps v3.1.11 VRP, details and funds confirmation responses to valid v4.0 ones', () => {
    for (const [schema, map] of [
      ['OBDomesticVRPResponse', mapper.paymentResponse],
      ['OBDomesticVRPDetails', mapper.paymentDetailsResponse],
      ['OBVRPFundsConfirmationResponse', mapper.fundsConfirmationResponse],
    ] as const) {
      const v3 = exampleOf('v3.1.11', 'vrp', schema) as Json;
      // v3.1.11 leaves PaymentPurposeCode free text; a bank echoes the ISO code it was sent.
      if (v3.Risk) (v3.Risk as Json).PaymentPurposeCode = 'CASH';
      expect(schemaErrors('v3.1.11', 'vrp', schema, v3)).toEqual([]);
      expect(schemaErrors('v4.0', 'vrp', schema, map(v3))).toEqual([]);
    }
    expect(
      mapper.paymentResponse({
        Data: {
          DomesticVRPId: 'v',
          Status: 'Rejected',
          StatusReason: 'U001',
          StatusReasonDescription: 'no',
        },
      }),
    ).toEqual({
      Data: {
        DomesticVRPId: 'v',
        Status: 'RJCT',
        StatusReason: [{ StatusReasonCode: 'U001', StatusReasonDescription: 'no' }],
      },
    });
  });
});
