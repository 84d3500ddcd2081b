/** What an authorisation-code or refresh grant returns (OAuth 2.0 token response, parsed). */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Seconds from the request; absent when the bank did not say (the expiry is then unknown). */
  expiresIn?: number;
  scope?: string;
  /** Always 'Bearer' (banks send it in any case). */
  tokenType: 'Bearer';
}
