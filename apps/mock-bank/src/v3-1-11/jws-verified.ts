/** Set on res.locals once the x-jws-signature was checked over the v3.1.11 bytes received. */
export const JWS_VERIFIED_UPSTREAM = 'jwsVerifiedUpstream';
/** Set on res.locals when the v3.1.11 front signs the response over the v3.1.11 bytes it sends. */
export const RESPONSE_SIGNED_UPSTREAM = 'responseSignedUpstream';
