/** Set on res.locals once the x-jws-signature was checked over the v3.1.11 bytes received. */
export const JWS_VERIFIED_UPSTREAM = 'jwsVerifiedUpstream';
