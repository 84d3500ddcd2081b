import type { Shape } from './shape';

// Key shapes of the v3.1.11 request bodies the connector sends (payment-initiation-openapi.json,
// vrp-openapi.json); shapes.spec.ts checks each against the official document.

const AMOUNT: Shape = { Amount: true, Currency: true };
const ACCOUNT: Shape = {
  SchemeName: true,
  Identification: true,
  Name: true,
  SecondaryIdentification: true,
};
const POSTAL_ADDRESS: Shape = {
  AddressType: true,
  Department: true,
  SubDepartment: true,
  StreetName: true,
  BuildingNumber: true,
  PostCode: true,
  TownName: true,
  CountrySubDivision: true,
  Country: true,
  AddressLine: true,
};
const REMITTANCE: Shape = { Unstructured: true, Reference: true };
const RISK: Shape = {
  PaymentContextCode: true,
  MerchantCategoryCode: true,
  MerchantCustomerIdentification: true,
  ContractPresentInidicator: true,
  BeneficiaryPrepopulatedIndicator: true,
  PaymentPurposeCode: true,
  BeneficiaryAccountType: true,
  DeliveryAddress: {
    AddressLine: true,
    StreetName: true,
    BuildingNumber: true,
    PostCode: true,
    TownName: true,
    CountrySubDivision: true,
    Country: true,
  },
};
const DOMESTIC_INITIATION: Shape = {
  InstructionIdentification: true,
  EndToEndIdentification: true,
  LocalInstrument: true,
  InstructedAmount: AMOUNT,
  DebtorAccount: ACCOUNT,
  CreditorAccount: ACCOUNT,
  CreditorPostalAddress: POSTAL_ADDRESS,
  RemittanceInformation: REMITTANCE,
  SupplementaryData: '*',
};
const VRP_INITIATION: Shape = {
  DebtorAccount: ACCOUNT,
  CreditorAccount: ACCOUNT,
  CreditorPostalAddress: POSTAL_ADDRESS,
  RemittanceInformation: REMITTANCE,
};

/** OBWriteDomesticConsent4 (v3.1.11). */
export const V3_DOMESTIC_CONSENT_SHAPE: Shape = {
  Data: {
    ReadRefundAccount: true,
    Initiation: DOMESTIC_INITIATION,
    Authorisation: { AuthorisationType: true, CompletionDateTime: true },
    SCASupportData: {
      RequestedSCAExemptionType: true,
      AppliedAuthenticationApproach: true,
      ReferencePaymentOrderId: true,
    },
  },
  Risk: RISK,
};

/** OBWriteDomestic2 (v3.1.11). */
export const V3_DOMESTIC_PAYMENT_SHAPE: Shape = {
  Data: { ConsentId: true, Initiation: DOMESTIC_INITIATION },
  Risk: RISK,
};

/** OBDomesticVRPConsentRequest (v3.1.11). */
export const V3_VRP_CONSENT_SHAPE: Shape = {
  Data: {
    ReadRefundAccount: true,
    ControlParameters: {
      ValidFromDateTime: true,
      ValidToDateTime: true,
      MaximumIndividualAmount: AMOUNT,
      PeriodicLimits: { PeriodType: true, PeriodAlignment: true, Amount: true, Currency: true },
      VRPType: true,
      PSUAuthenticationMethods: true,
      PSUInteractionTypes: true,
      SupplementaryData: '*',
    },
    Initiation: VRP_INITIATION,
  },
  Risk: RISK,
};

/** OBDomesticVRPRequest (v3.1.11). */
export const V3_VRP_SHAPE: Shape = {
  Data: {
    ConsentId: true,
    PSUAuthenticationMethod: '*',
    PSUInteractionType: '*',
    VRPType: true,
    Initiation: VRP_INITIATION,
    Instruction: {
      InstructionIdentification: true,
      EndToEndIdentification: true,
      RemittanceInformation: REMITTANCE,
      LocalInstrument: true,
      InstructedAmount: AMOUNT,
      CreditorPostalAddress: POSTAL_ADDRESS,
      CreditorAccount: ACCOUNT,
      SupplementaryData: '*',
    },
  },
  Risk: RISK,
};

/** OBVRPFundsConfirmationRequest (same in both versions). */
export const V3_VRP_FUNDS_CONFIRMATION_SHAPE: Shape = {
  Data: { ConsentId: true, Reference: true, InstructedAmount: AMOUNT },
};

/** OBReadConsent1 (same in both versions). */
export const V3_ACCOUNT_ACCESS_CONSENT_SHAPE: Shape = {
  Data: {
    Permissions: true,
    ExpirationDateTime: true,
    TransactionFromDateTime: true,
    TransactionToDateTime: true,
  },
  Risk: '*',
};
