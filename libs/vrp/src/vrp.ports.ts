/** The consent type this lib registers with auth-contexts and stores tokens under. */
export const DOMESTIC_VRP_CONSENT_TYPE = 'domestic-vrp' as const;

/** The OB scope of VRP consents (client credentials and the PSU's authorisation). */
export const PAYMENTS_SCOPE = 'payments';

export function vrpConsentRef(consentId: string): {
  consentType: typeof DOMESTIC_VRP_CONSENT_TYPE;
  consentId: string;
} {
  return { consentType: DOMESTIC_VRP_CONSENT_TYPE, consentId };
}
