import type { BankProfile, ConsentType } from '@obc/bank-profiles';
import type { ClientContext } from '@obc/token-management';

/** What a feature module tells the authorisation flow about one of its consents. */
export interface ConsentDescription {
  /** The bank registration's client, with its signing key for the request object. */
  client: ClientContext;
  profile: BankProfile;
  /** The bank's consent id: `openbanking_intent_id` in the request object and the ID token. */
  intentId: string;
  /** Redirect URIs registered with the bank for this client. */
  redirectUris: string[];
  defaultRedirectUri: string;
  /** The consent's status in OB vocabulary (e.g. `AwaitingAuthorisation`). */
  status: string;
}

/**
 * A consent type the authorisation flow can serve. Feature modules register one each in
 * `onModuleInit`, so this lib never imports a feature lib.
 */
export interface ConsentAuthorisationTarget {
  /** Also names the OB scope the consent is authorised with (consentScope in @obc/bank-profiles). */
  consentType: ConsentType;
  describe(consentId: string): Promise<ConsentDescription>;
  /** Called once tokens are stored: the feature marks its consent authorised. */
  onAuthorised(consentId: string): Promise<void>;
}
