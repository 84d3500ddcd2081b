export type ConsentType = 'account-access' | 'domestic-payment' | 'domestic-vrp';

/** Which consent a token belongs to: the connector's own consent id, per consent type. */
export interface ConsentRef {
  consentType: ConsentType;
  consentId: string;
}
