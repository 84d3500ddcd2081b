/** The OB message-signing profile (v3.1.4 and later): the only header members it defines. */
export const OB_IAT_HEADER = 'http://openbanking.org.uk/iat';
export const OB_ISS_HEADER = 'http://openbanking.org.uk/iss';
export const OB_TAN_HEADER = 'http://openbanking.org.uk/tan';

/** RFC 7797's unencoded-payload member (the pre-v3.1.4 profile; profile messageSigning.b64Header). */
export const B64_HEADER = 'b64';

/** `crit` must list exactly these, in any order. */
export const OB_CRIT_HEADERS: readonly string[] = [OB_IAT_HEADER, OB_ISS_HEADER, OB_TAN_HEADER];

/** The production directory's trust anchor; sandboxes name their own (a bank profile setting). */
export const OB_DEFAULT_TRUST_ANCHOR = 'openbanking.org.uk';

/** The HTTP header that carries the detached JWS. */
export const JWS_SIGNATURE_HEADER = 'x-jws-signature';

/** A response signature is made as the response is sent: older than this is a replay. */
export const DETACHED_JWS_DEFAULT_MAX_AGE_SECONDS = 300;
export const DETACHED_JWS_DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** jose's recognised-extension option: each OB member must sit in the protected header. */
export const OB_CRIT_OPTION: Record<string, boolean> = {
  [OB_IAT_HEADER]: true,
  [OB_ISS_HEADER]: true,
  [OB_TAN_HEADER]: true,
};
