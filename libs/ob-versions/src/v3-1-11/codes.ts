/**
 * v3.1.11 words ↔ v4.0 codes, one table per code set. v4.0 moved most code sets to ISO 20022
 * codes; where v3.1.11 has a value v4.0 dropped, the nearest v4.0 code is chosen and the choice
 * is written beside it. Values neither table knows are passed through unchanged (a bank may send
 * a proprietary value; the caller then sees what the bank sent).
 */
type Table = Readonly<Record<string, string>>;

/** OBAddressTypeCode (v3.1.11) → OBAddressType2Code (v4.0). */
export const ADDRESS_TYPE: Table = {
  Business: 'BIZZ',
  Correspondence: 'CORR',
  DeliveryTo: 'DLVY',
  MailTo: 'MLTO',
  POBox: 'PBOX',
  Postal: 'ADDR',
  Residential: 'HOME',
  Statement: 'STAT',
};

/** OBBalanceType1Code. v4.0 has no "cleared" balances: cleared funds are booked ones. */
export const BALANCE_TYPE: Table = {
  ClosingAvailable: 'CLAV',
  ClosingBooked: 'CLBD',
  ClosingCleared: 'CLBD',
  Expected: 'XPCD',
  ForwardAvailable: 'FWAV',
  Information: 'INFO',
  InterimAvailable: 'ITAV',
  InterimBooked: 'ITBD',
  InterimCleared: 'ITBD',
  OpeningAvailable: 'OPAV',
  OpeningBooked: 'OPBD',
  OpeningCleared: 'OPBD',
  PreviouslyClosedBooked: 'PRCD',
};

/** OBBalanceSubType1Code: the amount's currency role. */
export const AMOUNT_SUB_TYPE: Table = { BaseCurrency: 'BCUR', LocalCurrency: 'LCUR' };

/** OBTransactionStatus2Code. */
export const TRANSACTION_STATUS: Table = { Booked: 'BOOK', Pending: 'PDNG', Rejected: 'RJCT' };

/** AccountSubType (v3.1.11) → AccountTypeCode (v4.0, ISO ExternalCashAccountType1Code). */
export const ACCOUNT_SUB_TYPE: Table = {
  ChargeCard: 'CHAR',
  CreditCard: 'CARD',
  CurrentAccount: 'CACC',
  EMoney: 'MOMA', // money market / e-money has no closer ISO code
  Loan: 'LOAN',
  Mortgage: 'MORT',
  PrePaidCard: 'CARD',
  Savings: 'SVGS',
  Wallet: 'WALT',
};

/** Direct debit and standing order status: v3.1.11 knows only Active and Inactive. */
export const MANDATE_STATUS: Table = { Active: 'ACTV', Inactive: 'SUSP' };

/** Consent statuses (account access, payment and VRP consents). */
export const CONSENT_STATUS: Table = {
  AwaitingAuthorisation: 'AWAU',
  Authorised: 'AUTH',
  Rejected: 'RJCT',
  Revoked: 'CANC',
  Consumed: 'COND',
  Expired: 'EXPD',
};

/** Multi-authorisation status of a payment. */
export const MULTI_AUTHORISATION_STATUS: Table = {
  Authorised: 'AUTH',
  AwaitingFurtherAuthorisation: 'AWAF',
  Rejected: 'RJCT',
};

/**
 * Payment statuses (payments, VRPs and their payment details) → ISO 20022
 * ExternalPaymentTransactionStatus1Code. The cancellation-request words describe a request to
 * cancel, not the payment: the payment is reported as still pending.
 */
export const PAYMENT_STATUS: Table = {
  // The preferred word for a code comes first (toV3 picks it).
  Pending: 'PDNG',
  Rejected: 'RJCT',
  Accepted: 'ACCP',
  AcceptedCancellationRequest: 'PDNG',
  AcceptedCreditSettlementCompleted: 'ACCC',
  AcceptedCustomerProfile: 'ACCP',
  AcceptedFundsChecked: 'ACFC',
  AcceptedSettlementCompleted: 'ACSC',
  AcceptedSettlementInProcess: 'ACSP',
  AcceptedTechnicalValidation: 'ACTC',
  AcceptedWithChange: 'ACWC',
  AcceptedWithoutPosting: 'ACWP',
  Cancelled: 'RJCT',
  NoCancellationProcess: 'PDNG',
  PartiallyAcceptedCancellationRequest: 'PDNG',
  PartiallyAcceptedTechnicalCorrect: 'PATC',
  PaymentCancelled: 'RJCT',
  PendingCancellationRequest: 'PDNG',
  Received: 'RCVD',
  RejectedCancellationRequest: 'PDNG',
};

/** v4.0 PaymentContextCode values are a subset of v3.1.11's. */
export const V4_PAYMENT_CONTEXT_CODES: readonly string[] = [
  'BillingGoodsAndServicesInAdvance',
  'BillingGoodsAndServicesInArrears',
  'EcommerceMerchantInitiatedPayment',
  'FaceToFacePointOfSale',
  'TransferToSelf',
  'TransferToThirdParty',
];

/** The v4.0 code for a v3.1.11 word (unknown values pass through). */
export function toV4(table: Table, value: unknown): unknown {
  return typeof value === 'string' ? (table[value] ?? value) : value;
}

/**
 * The v3.1.11 word for a v4.0 code: the first word mapping to it (tables list the preferred
 * word first). Unknown values pass through.
 */
export function toV3(table: Table, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const hit = Object.entries(table).find(([, code]) => code === value);
  return hit ? hit[0] : value;
}
