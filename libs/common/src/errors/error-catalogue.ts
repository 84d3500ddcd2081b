/**
 * Every stable problem `code` the connector answers with: its HTTP status(es), title, what it
 * means for the caller and what to do. docs/errors.md is rendered from it
 * (`npm run docs:errors`), and a unit test (scripts/generate-error-docs.spec.ts) fails when a
 * code thrown in libs/ or apps/connector is missing here, or an entry is no longer thrown.
 */
export interface ErrorCatalogueEntry {
  /** The `code` member, e.g. `bank/timeout`. */
  code: string;
  /** HTTP statuses it is answered with (more than one when several throw sites differ). */
  statuses: readonly number[];
  /** Shown instead of `statuses` when they cannot be listed (a framework fallback). */
  statusText?: string;
  title: string;
  /** What happened, for the caller. */
  meaning: string;
  /** What the caller (or the operator) should do. */
  action: string;
}

export interface ErrorArea {
  /** Stable id of the group. */
  id: string;
  heading: string;
  intro: string;
  entries: readonly ErrorCatalogueEntry[];
}

const NEW_AUTHORISATION =
  'Start a new authorisation (create a new auth context) and let the customer authorise again.';

/** `id-token/*`: the bank's ID token failed one check (libs/fapi IdTokenValidator). */
function idToken(code: string, check: string): ErrorCatalogueEntry {
  return {
    code: `id-token/${code}`,
    statuses: [400],
    title: 'The ID token from the bank is not valid',
    meaning: `The ID token the bank returned when the customer authorised a consent fails a check: ${check}. Nothing was stored; the consent is not authorised.`,
    action: `${NEW_AUTHORISATION} If it happens again, the bank (or its profile: issuer, signing algorithm, clock) is at fault; report it with the request id.`,
  };
}

/** `<resource>/not-found` from NotFoundError: a path id that does not exist. */
function notFound(resource: string, what: string): ErrorCatalogueEntry {
  return {
    code: `${resource}/not-found`,
    statuses: [404],
    title: `${resource} not found`,
    meaning: `No ${what} with the id in the path (never created here, or deleted).`,
    action: 'Check the id: use the one the create call returned.',
  };
}

/** `<resource>/unknown`: a request body references an id that does not exist. */
function unknownReference(resource: string, what: string, field: string): ErrorCatalogueEntry {
  return {
    code: `${resource}/unknown`,
    statuses: [400],
    title: `Unknown ${what}`,
    meaning: `The request body references (\`${field}\`) a ${what} that does not exist. Nothing was stored.`,
    action: `Fix the reference: use the id of an existing ${what}, or create it first.`,
  };
}

export const ERROR_CATALOGUE: readonly ErrorArea[] = [
  {
    id: 'request',
    heading: 'Request',
    intro:
      'The HTTP request itself cannot be served: it is malformed, invalid or aimed at no route. Nothing was stored and no bank was called; fix the request before sending it again.',
    entries: [
      {
        code: 'request/validation-failed',
        statuses: [400],
        title: 'The request is not valid',
        meaning:
          'The body, query or path parameters break the documented rules; `errors` lists each field with its message.',
        action: 'Fix the fields named in `errors` and send the request again.',
      },
      {
        code: 'request/malformed-body',
        statuses: [400],
        title: 'Malformed request body',
        meaning: 'The request body is not valid JSON.',
        action: 'Send a well-formed JSON body with `Content-Type: application/json`.',
      },
      {
        code: 'request/nul-character',
        statuses: [400],
        title: 'The request is not valid',
        meaning:
          'A value or key in the input contains the NUL character (U+0000), which the connector never stores; `errors` names where.',
        action: 'Remove the NUL character from the field named in `errors`.',
      },
      {
        code: 'request/invalid-unicode',
        statuses: [400],
        title: 'The request is not valid',
        meaning:
          'A value or key in the input holds a lone UTF-16 surrogate (for example a JSON "\\ud800"), which is not text the connector can store or send to a bank; `errors` names where.',
        action: 'Send well-formed Unicode text in the field named in `errors`.',
      },
      {
        code: 'request/too-deeply-nested',
        statuses: [400],
        title: 'The request is not valid',
        meaning:
          'The body, query or parameters nest arrays and objects deeper than the connector accepts; it was refused before being read further.',
        action: 'Send a flatter document; no documented request nests that deep.',
      },
      {
        code: 'request/bad-request',
        statuses: [400],
        title: 'Bad request',
        meaning:
          'The request was refused as malformed before reaching the service (for example a body that could not be read).',
        action: 'Read `detail`, fix the request and send it again.',
      },
      {
        code: 'request/malformed-http',
        statuses: [400],
        title: 'Malformed HTTP request',
        meaning:
          "Node's HTTP parser refused the request: it is not well-formed HTTP. The connection is closed.",
        action: 'Fix the client or proxy sending it; this is never a data problem.',
      },
      {
        code: 'request/route-not-found',
        statuses: [404],
        title: 'Route not found',
        meaning: 'No route matches the method and path.',
        action:
          'Check the path and the API version prefix (`/v1/...`) against the OpenAPI document.',
      },
      {
        code: 'request/method-not-allowed',
        statuses: [405],
        title: 'Method not allowed',
        meaning: 'The route exists but not with this HTTP method.',
        action: 'Use a method the OpenAPI document lists for the route.',
      },
      {
        code: 'request/not-acceptable',
        statuses: [406],
        title: 'Not acceptable',
        meaning: 'The `Accept` header asks for a representation the route cannot produce.',
        action: 'Accept `application/json` (and `application/problem+json` for errors).',
      },
      {
        code: 'request/conflict',
        statuses: [409],
        title: 'Conflict',
        meaning: 'The request conflicts with the current state (a framework-level conflict).',
        action: 'Read `detail`; fetch the resource again before retrying.',
      },
      {
        code: 'request/payload-too-large',
        statuses: [413],
        title: 'Payload too large',
        meaning: 'The request body is larger than the connector accepts.',
        action: 'Send a smaller body; no documented request needs one that large.',
      },
      {
        code: 'request/uri-too-long',
        statuses: [414],
        title: 'URI too long',
        meaning:
          "Node's HTTP parser refused the request because its URI is too long. The connection is closed.",
        action: 'Shorten the URI (fewer or shorter query parameters).',
      },
      {
        code: 'request/unsupported-media-type',
        statuses: [415],
        title: 'Unsupported media type',
        meaning: 'The body has a `Content-Type` the route does not read.',
        action: 'Send JSON with `Content-Type: application/json`.',
      },
      {
        code: 'request/unprocessable',
        statuses: [422],
        title: 'Unprocessable request',
        meaning: 'The request is well-formed but cannot be processed (a framework-level refusal).',
        action: 'Read `detail` and fix the request.',
      },
      {
        code: 'request/headers-too-large',
        statuses: [431],
        title: 'Request headers too large',
        meaning:
          "Node's HTTP parser refused the request: the request line and headers together exceed the size the server accepts. The connection is closed.",
        action: 'Send fewer or smaller headers (large cookies, tokens or proxies adding headers).',
      },
      {
        code: 'request/timeout',
        statuses: [408],
        title: 'Request timeout',
        meaning:
          "Node's HTTP server did not receive the whole request (headers and body) in time; the connection is closed and nothing was processed.",
        action:
          'Send the request again, in full; check for a slow or stalled client or proxy. For a payment, retry with the same Idempotency-Key.',
      },
      {
        code: 'request/too-many-requests',
        statuses: [429],
        title: 'Too many requests',
        meaning: 'The connector refused the request because too many were sent.',
        action: 'Slow down; retry after the `Retry-After` delay when one is given.',
      },
      {
        code: 'request/error',
        statuses: [],
        statusText: 'any other 4xx',
        title: 'Error',
        meaning:
          'A framework-level client error with a status that has no more specific code; `status` and `detail` say which.',
        action: 'Read `status` and `detail` and fix the request.',
      },
      {
        code: 'payment/invalid-amount',
        statuses: [400],
        title: 'The amount is not valid',
        meaning:
          'An amount is not a decimal string greater than zero with up to 13 digits and 5 decimals (money is never a JSON number); `errors` names the field. Nothing was sent to the bank.',
        action: 'Send the amount as a string such as `"10.50"`.',
      },
      {
        code: 'payment/unknown-currency',
        statuses: [400],
        title: 'The currency is not valid',
        meaning:
          'A currency is not an active ISO 4217 code (for example `GPB` for `GBP`); `errors` names the field. Nothing was sent to the bank.',
        action: 'Use an active ISO 4217 alphabetic code.',
      },
      {
        code: 'vrp/control-parameters-missing',
        statuses: [400],
        title: 'The VRP consent request is not valid',
        meaning:
          'The domestic VRP consent request lacks its `ControlParameters` (or they are not an object). Nothing was sent to the bank.',
        action: 'Send `Data.ControlParameters` as the OB VRP consent schema requires.',
      },
      {
        code: 'vrp/invalid-vrp-type',
        statuses: [400],
        title: 'The VRP consent request is not valid',
        meaning:
          'A `VRPType` is not one the v4.0 VRP API defines (`UK.OBIE.VRPType.Sweeping`, `UK.OBIE.VRPType.Other`). Nothing was sent to the bank.',
        action: 'Use one of the listed VRP types.',
      },
      {
        code: 'account-access-consent/request-ambiguous',
        statuses: [400],
        title: 'Give exactly one of templateRequest and externalApiRequest',
        meaning:
          'An account access consent request must say what it asks for in exactly one way: neither or both of `templateRequest` and `externalApiRequest` were given. Nothing was stored.',
        action: 'Send exactly one of `templateRequest` and `externalApiRequest`.',
      },
      {
        code: 'account-access-consent/header-missing',
        statuses: [400],
        title: 'The x-account-access-consent-id header is required',
        meaning:
          'An account information read needs the `x-account-access-consent-id` header naming the consent to read with; it was absent.',
        action: 'Send the header with the id of an authorised account access consent.',
      },
    ],
  },
  {
    id: 'auth',
    heading: 'Authentication and authorisation',
    intro:
      "The caller's API key, and the customer's authorisation of a consent at the bank (the redirect back from the bank, its ID token).",
    entries: [
      {
        code: 'auth/invalid-api-key',
        statuses: [401],
        title: 'A valid API key is required',
        meaning:
          'The request carries no API key, or one that is not configured (`API_KEYS`). Every route needs one except `/health/*`, `/metrics` and the redirect pages.',
        action: 'Send `Authorization: Bearer <api-key>` with a configured key.',
      },
      {
        code: 'auth/unauthenticated',
        statuses: [401],
        title: 'Authentication required',
        meaning: 'The request was refused as unauthenticated before reaching the service.',
        action: 'Send `Authorization: Bearer <api-key>` with a configured key.',
      },
      {
        code: 'auth/forbidden',
        statuses: [403],
        title: 'Forbidden',
        meaning: 'The request was refused as not allowed before reaching the service.',
        action: 'Read `detail`; the key in use may not be allowed this route.',
      },
      {
        code: 'auth/unknown-state',
        statuses: [400],
        title: 'Unknown or already used state',
        meaning:
          'The `state` of the redirect from the bank matches no open authorisation: it is unknown or was already used (a replay looks the same). Nothing was stored.',
        action: NEW_AUTHORISATION,
      },
      {
        code: 'auth/state-expired',
        statuses: [400],
        title: 'The authorisation has expired',
        meaning:
          'The auth context for this `state` expired before the bank redirected back. Nothing was stored.',
        action: NEW_AUTHORISATION,
      },
      {
        code: 'auth/bank-error',
        statuses: [400],
        title: 'The bank did not authorise the consent',
        meaning:
          'The bank redirected back with an OAuth error (the customer declined or cancelled, or the bank refused); `bankError` and `bankErrorDescription` carry what the bank said. The consent is not authorised.',
        action: `Show the customer the outcome. To try again, ${NEW_AUTHORISATION.charAt(0).toLowerCase()}${NEW_AUTHORISATION.slice(1)}`,
      },
      {
        code: 'auth/missing-code',
        statuses: [400],
        title: 'The redirect is missing a parameter',
        meaning:
          "The redirect from the bank carries no authorization `code`, which this bank's response type requires.",
        action:
          'Pass on every parameter the bank sent (query or fragment) unchanged; if the bank sent none, start a new authorisation.',
      },
      {
        code: 'auth/missing-id-token',
        statuses: [400],
        title: 'The redirect is missing a parameter',
        meaning:
          "The redirect from the bank carries no `id_token`, which this bank's response type (hybrid flow) requires.",
        action:
          'Pass on every parameter the bank sent, including the URL fragment; if the bank sent none, start a new authorisation.',
      },
      {
        code: 'auth/issuer-mismatch',
        statuses: [400],
        title: 'The redirect came from another issuer',
        meaning:
          "The redirect's `iss` is not the issuer of the consent's bank (RFC 9207; a possible mix-up attack). Nothing was stored.",
        action: `Do not retry the same redirect. ${NEW_AUTHORISATION}`,
      },
      {
        code: 'auth-context/redirect-uri-not-registered',
        statuses: [400],
        title: 'The redirect URI is not registered',
        meaning:
          "The auth context's `redirectUri` is not one of the bank registration's redirect URIs. Nothing was stored.",
        action: "Use one of the registration's redirect URIs (or register the URI with the bank).",
      },
      {
        code: 'auth-context/unknown-consent-type',
        statuses: [500],
        title: 'The consent type cannot be authorised',
        meaning:
          "No module of this connector build serves authorisation of the consent's type: a deployment or build fault, not the caller's.",
        action:
          "Operator: import the feature module that registers the consent type in the connector's AppModule.",
      },
      idToken(
        'malformed',
        'it is not a compact JWS with a JSON payload and numeric `exp` and `iat`',
      ),
      idToken('unsupported-alg', 'it is not signed with PS256'),
      idToken(
        'invalid-signature',
        "its signature does not verify with the bank's keys, or the bank's JWKS has no key it names",
      ),
      idToken('wrong-issuer', "its `iss` is not the bank's issuer"),
      idToken(
        'wrong-audience',
        "its `aud` (or `azp`) is not only the bank registration's client id",
      ),
      idToken('expired', 'it has expired (`exp`)'),
      idToken('issued-too-long-ago', 'it was issued (`iat`) too long ago'),
      idToken('not-yet-valid', 'it is issued in the future (`iat`) or not valid yet (`nbf`)'),
      idToken('nonce-mismatch', "its `nonce` is not the auth context's"),
      idToken('missing-nonce', 'it carries no `nonce`'),
      idToken('c-hash-mismatch', 'its `c_hash` does not match the authorization code'),
      idToken('missing-c-hash', 'it carries no `c_hash` where one is required'),
      idToken('s-hash-mismatch', 'its `s_hash` does not match the state'),
      idToken('missing-s-hash', 'it carries no `s_hash` where one is required'),
      idToken('at-hash-mismatch', 'its `at_hash` does not match the access token'),
      idToken('intent-id-mismatch', 'its `openbanking_intent_id` is not the consent id'),
      idToken(
        'wrong-subject',
        'its `sub` is empty or not what the bank profile says it is (consent id or client id)',
      ),
      idToken('missing-acr', 'it carries no `acr` and the profile does not make it optional'),
      idToken(
        'missing-auth-time',
        'it carries no `auth_time` and the profile does not make it optional',
      ),
      {
        code: 'jwks/unknown-key',
        statuses: [400],
        title: 'No matching key in the bank JWKS',
        meaning:
          "A token or signature from the bank names a `kid` that the bank's JWKS does not hold (even after a refetch), or names none while the JWKS has several keys.",
        action: `${NEW_AUTHORISATION} If it persists, the bank's JWKS (or the profile's jwksUrl) is wrong.`,
      },
    ],
  },
  {
    id: 'consent',
    heading: 'Consents',
    intro:
      "The state of a consent at the connector and at the bank, and the customer's authorisation of it.",
    entries: [
      {
        code: 'consent/not-authorised',
        statuses: [403],
        title: 'The consent is not authorised',
        meaning:
          'The consent cannot be used: the connector has not seen it authorised (account access, domestic payment or VRP consent not in AUTH), or the bank no longer honours the authorisation (`invalid_grant`, or the bank refused the consent; `bank` holds its answer). Nothing was paid.',
        action:
          'If the consent is still awaiting authorisation, create an auth context and let the customer authorise it. If the bank no longer honours it (revoked, `invalid_grant`), create a new consent and have it authorised: auth contexts are made only for consents awaiting authorisation.',
      },
      {
        code: 'consent/expired',
        statuses: [403],
        title: 'The consent authorisation has expired',
        meaning:
          "The consent's access token expired and the bank gave no refresh token to renew it (for example payment consents of banks without refresh tokens). Nothing was sent to the bank.",
        action:
          'The customer must authorise again. Auth contexts are made only for consents awaiting authorisation, so create a new consent, have it authorised, then retry with it.',
      },
      {
        code: 'consent/consumed',
        statuses: [409],
        title: 'The consent has been used',
        meaning:
          'The domestic payment consent already paid its one payment (status COND). Nothing was sent to the bank.',
        action: 'Create a new payment consent for a new payment.',
      },
      {
        code: 'consent/not-awaiting-authorisation',
        statuses: [409],
        title: 'The consent is not awaiting authorisation',
        meaning:
          'An auth context was asked for a consent that is not AwaitingAuthorisation (AWAU); `consentStatus` says what it is.',
        action:
          'Authorise only new consents; create a new consent if this one is rejected, revoked, expired or used.',
      },
      {
        code: 'consent/token-refresh-busy',
        statuses: [503],
        title: 'The consent token is being refreshed elsewhere',
        meaning:
          "Another request (this replica or another) has been refreshing the consent's token for longer than `TOKEN_REFRESH_LOCK_WAIT_SECONDS` (a slow bank or a hung process). Nothing was changed.",
        action: 'Retry later; it is safe.',
      },
      {
        code: 'payment/consent-mismatch',
        statuses: [422],
        title: 'The payment does not match its consent',
        meaning:
          "The payment's `Initiation` (or risk) is not exactly the one of its consent, which the bank would refuse. Nothing was sent to the bank.",
        action: "Send the consent's `Initiation` unchanged.",
      },
    ],
  },
  {
    id: 'idempotency',
    heading: 'Idempotency',
    intro:
      'POSTs that create something at a bank take an `Idempotency-Key`: the same key and body return the first result and never act twice.',
    entries: [
      {
        code: 'idempotency/in-progress',
        statuses: [409],
        title: 'A request with this Idempotency-Key is in progress',
        meaning:
          'The first request with this key is still with the bank (or its replica died mid-call, until `IDEMPOTENCY_LOCK_SECONDS` pass). The bank was not called again.',
        action:
          'Retry later with the same Idempotency-Key and the same body: you get the first result, never a second payment.',
      },
      {
        code: 'idempotency/key-reused',
        statuses: [422],
        title: 'Idempotency-Key already used with a different request',
        meaning:
          'The Idempotency-Key was already used with a different request body. Nothing was done.',
        action: 'Use a new key for a new request; retry the first request only with its own body.',
      },
      {
        code: 'idempotency/invalid-key',
        statuses: [400],
        title: 'The Idempotency-Key is not valid',
        meaning:
          'The Idempotency-Key header is empty, too long (payments and VRPs take up to 128 characters, consents and registrations up to 255; `detail` says which) or not printable ASCII. Nothing was done.',
        action: 'Send a short printable ASCII key, for example a UUID.',
      },
    ],
  },
  {
    id: 'bank',
    heading: 'Bank calls',
    intro:
      'A call to the bank failed. The `bank` member holds what the bank answered (`status`, `endpoint`, `method`, `interactionId`, its OB error `body`); `Retry-After` is sent when a delay is known. For a creation sent with an Idempotency-Key, retrying with the same key and body is always safe: the bank gets the same `x-idempotency-key` and answers with its first result instead of acting twice.',
    entries: [
      {
        code: 'bank/request-rejected',
        statuses: [422],
        title: 'The bank rejected the request',
        meaning:
          'The bank answered with a 4xx; its error body is in `bank.body`. The connector did not retry.',
        action:
          "Read the bank's errors in `bank.body` and fix the request; retrying unchanged fails again.",
      },
      {
        code: 'bank/rate-limited',
        statuses: [429],
        title: 'The bank is rate limiting calls',
        meaning: "The bank answered 429 (after the connector's own retries, if any).",
        action:
          'Retry later (after `Retry-After` when the bank gave one), with the same Idempotency-Key.',
      },
      {
        code: 'bank/server-error',
        statuses: [502],
        title: 'The bank failed to process the request',
        meaning: "The bank answered with a 5xx (after the connector's own retries, if any).",
        action:
          'Retry later with the same Idempotency-Key; report persistent failures to the bank with `bank.interactionId`.',
      },
      {
        code: 'bank/unexpected-status',
        statuses: [502],
        title: 'The bank answered with an unexpected status',
        meaning:
          'The bank answered with a status this call does not expect (neither success nor error).',
        action: 'Report it with `bank.interactionId`; the bank profile may need a quirk.',
      },
      {
        code: 'bank/invalid-response',
        statuses: [502],
        title: 'The bank sent a response that cannot be read',
        meaning:
          'The bank answered with a body that is not JSON, not the OB shape the call needs, or larger than the 16 MiB the connector reads; what arrived is in `bank.body` (nothing for an oversized body).',
        action:
          'Retry with the same Idempotency-Key (a creation may have happened at the bank); report persistent failures to the bank.',
      },
      {
        code: 'bank/response-signature-invalid',
        statuses: [502],
        title: "The bank's response signature is missing or not valid",
        meaning:
          'The bank profile says the bank signs its responses, and this response has no valid `x-jws-signature`; the response was not used.',
        action:
          'Retry with the same Idempotency-Key: the bank answers again instead of acting twice. If it persists, check `messageSigning` (jwksUrl) in the bank profile.',
      },
      {
        code: 'bank/timeout',
        statuses: [504],
        title: 'The bank did not answer in time',
        meaning:
          'No answer within the call deadline (after retries of calls safe to repeat); the bank may or may not have acted.',
        action:
          'Retry with the same Idempotency-Key: it returns the first result and never pays twice.',
      },
      {
        code: 'bank/unreachable',
        statuses: [502],
        title: 'The bank could not be reached',
        meaning: 'The connection to the bank could not be made (DNS, refused, network).',
        action:
          "Retry later with the same Idempotency-Key; check the profile's base URLs and the network.",
      },
      {
        code: 'bank/connection-reset',
        statuses: [502],
        title: 'The bank closed the connection without answering',
        meaning: 'The connection was reset before an answer; the bank may or may not have acted.',
        action: 'Retry with the same Idempotency-Key.',
      },
      {
        code: 'bank/incomplete-response',
        statuses: [502],
        title: 'The bank closed the connection before the whole response arrived',
        meaning: 'The answer was cut off before its declared end; the bank may have acted.',
        action: 'Retry with the same Idempotency-Key.',
      },
      {
        code: 'bank/tls-failure',
        statuses: [502],
        title: 'The TLS connection to the bank failed',
        meaning:
          "The mutual TLS handshake failed: the bank's server certificate is not trusted, or the bank refused the transport certificate. Not retried.",
        action:
          "Operator: check the profile's CA bundle and the registration's OBWAC certificate; retrying unchanged fails again.",
      },
      {
        code: 'bank/circuit-open',
        statuses: [503],
        title: 'Calls to this bank are paused after repeated failures',
        meaning:
          'This bank failed repeatedly (5xx, timeouts, broken connections), so the call was not sent.',
        action: 'Retry after `Retry-After` (the cool-down left), with the same Idempotency-Key.',
      },
      {
        code: 'bank/queue-full',
        statuses: [503],
        title: 'Too many calls to this bank at once',
        meaning:
          "The bank profile's limit of calls in flight and waiting is reached; the call was not sent.",
        action: 'Retry after `Retry-After` (1 s); operators may raise the call policy limits.',
      },
      {
        code: 'bank/queue-timeout',
        statuses: [503],
        title: 'Too many calls to this bank at once',
        meaning:
          'No free slot to call this bank came within the queue timeout; the call was not sent.',
        action: 'Retry after `Retry-After` (1 s); operators may raise the call policy limits.',
      },
      {
        code: 'bank/unsupported-endpoint',
        statuses: [501],
        title: 'The bank does not offer this API',
        meaning:
          'The bank profile has no base URL for this API, or does not support this endpoint. Nothing was sent.',
        action:
          'Use a bank that offers it, or configure the API base URL in `BANK_PROFILE_OVERRIDES`.',
      },
      {
        code: 'jws/missing',
        statuses: [502],
        title: 'The bank response carries no message signature',
        meaning: 'A bank response that must be signed has no `x-jws-signature`.',
        action: 'Retry with the same Idempotency-Key; report persistent failures to the bank.',
      },
      {
        code: 'jws/invalid',
        statuses: [502],
        title: 'The bank response signature is not valid',
        meaning:
          "A bank response's `x-jws-signature` fails a check (header, key, signature over the body).",
        action: 'Retry with the same Idempotency-Key; report persistent failures to the bank.',
      },
      {
        code: 'jwks/invalid',
        statuses: [502],
        title: 'The bank JWKS is not a valid JWK set',
        meaning: "The bank's JWKS endpoint answered something that is not a JWK set.",
        action:
          "Retry later; if it persists, check the profile's jwksUrl or report it to the bank.",
      },
      {
        code: 'token/invalid-response',
        statuses: [502],
        title: "The bank's token response is not usable",
        meaning:
          "The bank's token endpoint answered without a usable token (not a JSON object, no access_token, ...).",
        action: 'Retry later; report persistent failures to the bank.',
      },
      {
        code: 'discovery/invalid-metadata',
        statuses: [502],
        title: "The bank's OpenID configuration is not usable",
        meaning:
          "The bank's OpenID configuration (`.well-known/openid-configuration`) lacks or malforms fields the connector needs; `errors` lists them.",
        action:
          'Operator: correct the endpoints through the profile (discovery overrides) or report it to the bank.',
      },
      {
        code: 'discovery/issuer-mismatch',
        statuses: [502],
        title: "The bank's OpenID configuration names another issuer",
        meaning: "The OpenID configuration's `issuer` is not the profile's `issuerUrl`.",
        action:
          'Operator: fix issuerUrl (profile or `BANK_PROFILE_OVERRIDES`), or set discovery.acceptIssuerMismatch when the bank is known to publish another issuer.',
      },
      {
        code: 'discovery/no-authorization-endpoint',
        statuses: [502],
        title: "The bank's OpenID configuration has no authorization endpoint",
        meaning:
          "The bank's OpenID configuration does not publish `authorization_endpoint`, so no authorisation URL can be made.",
        action: 'Operator: set the endpoint through the profile or report it to the bank.',
      },
    ],
  },
  {
    id: 'bank-profile',
    heading: 'Bank profiles',
    intro:
      'Bank profiles (bank-profiles/ and `BANK_PROFILES_EXTRA_DIR`) describe each bank; see docs/bank-profiles-matrix.md.',
    entries: [
      {
        code: 'bank-profile/unknown',
        statuses: [400],
        title: 'Unknown bank profile',
        meaning:
          'The request names a bank profile that is not loaded; `knownProfiles` lists those that are. Nothing was stored.',
        action:
          'Use a listed profile id, or add a profile file to bank-profiles/ or `BANK_PROFILES_EXTRA_DIR`.',
      },
      {
        code: 'bank-profile/not-found',
        statuses: [404],
        title: 'Bank profile not found',
        meaning:
          'GET of a bank profile id that is not loaded; `knownProfiles` lists those that are.',
        action: 'Use a listed profile id.',
      },
      {
        code: 'bank-profile/not-configured',
        statuses: [422],
        title: 'Bank profile not configured',
        meaning:
          'The profile is loaded but lacks values the bank does not publish (base URLs, financial id, ...); `missingConfiguration` names them. Nothing was sent.',
        action:
          'Operator: set them in `BANK_PROFILE_OVERRIDES` (the `detail` shows an example), then retry.',
      },
      {
        code: 'bank-profile/unsupported-by-version',
        statuses: [422],
        title: "The bank's API version cannot carry this request",
        meaning:
          'The bank uses an older OB API version (v3.1.11) for this API, which has no equivalent for a field of the request; `errors` names it. The request was not sent.',
        action: 'Remove the field, or use a bank on v4.0.',
      },
      {
        code: 'bank-profile/ca-bundle-unreadable',
        statuses: [500],
        title: 'A bank profile CA bundle cannot be read',
        meaning: "The file named by the profile's `tls.caBundleFile` cannot be read.",
        action: 'Operator: mount the CA bundle at that path, readable by the connector.',
      },
    ],
  },
  {
    id: 'bank-registration',
    heading: 'Bank registrations',
    intro:
      'Registering the connector as a client at a bank (DCR, or importing a manual registration).',
    entries: [
      notFound('bank-registration', 'bank registration'),
      unknownReference('bank-registration', 'bank registration', 'bankRegistrationId'),
      {
        code: 'bank-registration/dcr-not-supported',
        statuses: [400],
        title: 'This bank does not support dynamic client registration',
        meaning: 'The bank profile registers clients manually. Nothing was stored.',
        action:
          "Register in the bank's portal, then import the client with `externalApiId` (and `externalApiSecret` where needed).",
      },
      {
        code: 'bank-registration/scopes-span-apis',
        statuses: [400],
        title: 'This bank registers one client per API',
        meaning:
          'The profile wants a separate client per API and the scopes name several APIs. Nothing was stored.',
        action: 'Create one bank registration per API, each with the scope of one API.',
      },
      {
        code: 'bank-registration/shared-registration-missing',
        statuses: [409],
        title: "No registration of the group's profile to share",
        meaning:
          'The bank profile shares the client of another profile of its group (registration.sharedWith), and that profile has no live registration under this software statement covering the scopes and redirect URIs asked for. Nothing was stored; no bank was called.',
        action:
          'Create a bank registration for the profile named in the detail (same softwareStatementId) first, then retry; or ask for a subset of its scopes and redirect URIs.',
      },
      {
        code: 'bank-registration/client-shared',
        statuses: [409],
        title: "Other bank registrations share this registration's client",
        meaning:
          "Brand registrations (registration.sharedWith) reuse this registration's client; deleting it at the bank would strand them. Nothing was deleted.",
        action:
          'Delete the registrations named in the detail first, or send `x-exclude-external-api-operation: true` to delete this one only in the connector.',
      },
      {
        code: 'bank-registration/no-registration-endpoint',
        statuses: [502],
        title: 'The bank publishes no registration endpoint',
        meaning: "The bank's OpenID configuration has no `registration_endpoint`.",
        action: 'Operator: set it through the profile, or register manually and import the client.',
      },
      {
        code: 'bank-registration/invalid-response',
        statuses: [502],
        title: 'The bank returned an unusable registration',
        meaning:
          "The bank's DCR answer lacks or malforms fields the connector needs (client_id, ...).",
        action: 'Retry with the same Idempotency-Key; report persistent failures to the bank.',
      },
      {
        code: 'bank-registration/no-registration-access-token',
        statuses: [422],
        title: 'No registration access token to delete the client with',
        meaning:
          'The bank manages registrations with the registration access token, and none is stored for this registration. Nothing was deleted.',
        action: 'Send `x-exclude-external-api-operation: true` to delete it only in the connector.',
      },
      {
        code: 'token/client-secret-missing',
        statuses: [422],
        title: 'The bank registration has no client secret',
        meaning:
          'The registration authenticates to the token endpoint with a client secret, and none is stored.',
        action: 'Set `externalApiSecret` on the registration.',
      },
      {
        code: 'token/unsupported-auth-method',
        statuses: [500],
        title: 'Unsupported client authentication method',
        meaning:
          "The registration's token endpoint auth method is not one the connector implements.",
        action: 'Operator: use a supported tokenEndpointAuthMethod in the profile.',
      },
    ],
  },
  {
    id: 'certificates',
    heading: 'Certificates, software statements and secrets',
    intro:
      'Management routes storing OBWAC/OBSeal certificates, software statements, secrets references and encryption keys.',
    entries: [
      notFound('obwac-certificate', 'OBWAC certificate'),
      unknownReference('obwac-certificate', 'OBWAC certificate', 'obwacCertificateId'),
      notFound('obseal-certificate', 'OBSeal certificate'),
      unknownReference('obseal-certificate', 'OBSeal certificate', 'obsealCertificateId'),
      {
        code: 'certificate/invalid-pem',
        statuses: [400],
        title: 'The certificate PEM cannot be parsed',
        meaning: '`certificatePem` is not a PEM-encoded X.509 certificate. Nothing was stored.',
        action: 'Send the certificate as PEM (`-----BEGIN CERTIFICATE-----`).',
      },
      {
        code: 'certificate/expired',
        statuses: [400],
        title: 'The certificate has expired',
        meaning: 'The certificate is past its validity end. Nothing was stored.',
        action: 'Obtain a current certificate from the directory.',
      },
      {
        code: 'obwac-certificate/invalid-key',
        statuses: [400],
        title: 'The private key cannot be parsed',
        meaning:
          'The secret referenced by `privateKey` is not a PEM-encoded private key. Nothing was stored.',
        action: 'Point `privateKey` at the PEM private key of the certificate.',
      },
      {
        code: 'obwac-certificate/key-mismatch',
        statuses: [400],
        title: 'The private key does not match the certificate',
        meaning: "The referenced private key is not the certificate's key. Nothing was stored.",
        action: 'Reference the private key the certificate was issued for.',
      },
      {
        code: 'obseal-certificate/invalid-key',
        statuses: [400],
        title: 'The private key cannot be parsed',
        meaning:
          'The secret referenced by `privateKey` is not a PEM-encoded private key. Nothing was stored.',
        action: 'Point `privateKey` at the PEM private key of the certificate.',
      },
      {
        code: 'obseal-certificate/key-mismatch',
        statuses: [400],
        title: 'The private key does not match the certificate',
        meaning: "The referenced private key is not the certificate's key. Nothing was stored.",
        action: 'Reference the private key the certificate was issued for.',
      },
      notFound('software-statement', 'software statement'),
      unknownReference('software-statement', 'software statement', 'softwareStatementId'),
      {
        code: 'software-statement/invalid-ssa',
        statuses: [400],
        title: 'The software statement assertion is not a JWT',
        meaning:
          'The SSA must be a compact JWS (header.payload.signature) with a JSON payload. Nothing was stored.',
        action: 'Send the SSA exactly as the directory issued it.',
      },
      {
        code: 'software-statement/ssa-mismatch',
        statuses: [400],
        title: 'The SSA was issued for other software',
        meaning:
          "The SSA's software_id or org_id is not the software statement's. Nothing was stored.",
        action: 'Use the SSA of this software statement, or fix its organisationId/softwareId.',
      },
      {
        code: 'software-statement/directory-not-configured',
        statuses: [422],
        title: 'No directory is configured to fetch the SSA from',
        meaning: 'No SSA was supplied and no directory is configured for its environment.',
        action:
          'Supply `softwareStatementAssertion`, or configure `DIRECTORY_SANDBOX_*` or `DIRECTORY_PRODUCTION_*` (`_TOKEN_URL` and `_SSA_URL`).',
      },
      {
        code: 'software-statement/directory-token-missing',
        statuses: [502],
        title: 'The directory returned no access token',
        meaning: 'The directory token endpoint answered without an `access_token`.',
        action: 'Retry later; check the directory credentials.',
      },
      {
        code: 'secret/not-found',
        statuses: [400],
        title: 'Secret not found',
        meaning:
          'A SecretRef names a secret that does not exist in its source; `secretSource` and `secretName` name it.',
        action: 'Create the secret, or fix the reference.',
      },
      {
        code: 'secret/invalid-reference',
        statuses: [400],
        title: 'Secret reference not valid',
        meaning: "A SecretRef is not acceptable (for example a file path climbing with '..').",
        action: 'Fix the reference.',
      },
      {
        code: 'secret/unavailable',
        statuses: [503],
        title: 'Secret store unavailable',
        meaning:
          "The secret store could not be read (permissions, network): not the caller's fault.",
        action: 'Retry later; operator: check access to the secret store.',
      },
      notFound('encryption-key', 'encryption key'),
      {
        code: 'encryption-key/invalid',
        statuses: [400],
        title: 'The encryption key is not valid',
        meaning:
          'The referenced key material cannot be resolved, or is not base64 of exactly 32 bytes. Nothing was stored.',
        action: 'Reference base64 of 32 random bytes (`openssl rand -base64 32`).',
      },
      {
        code: 'encryption/no-key',
        statuses: [409],
        title: 'No encryption key is configured',
        meaning:
          'The connector must store a secret encrypted but has no encryption key. Nothing was stored.',
        action:
          'Operator: set `ENCRYPTION_KEY` or register a key with `POST /v1/manage/encryption-keys`.',
      },
      {
        code: 'encryption/key-unavailable',
        statuses: [503],
        title: 'An encryption key is unavailable',
        meaning: "A registered encryption key's material cannot be obtained now.",
        action: 'Retry later; operator: check the secret the key references.',
      },
      {
        code: 'encryption/unknown-key',
        statuses: [500],
        title: 'A stored value was encrypted with an unknown key',
        meaning: 'A stored value names an encryption key this connector does not know.',
        action:
          'Operator: restore the key (or `ENCRYPTION_KEY` / `ENCRYPTION_KEY_ID`) that wrote the value.',
      },
      {
        code: 'encryption/decrypt-failed',
        statuses: [500],
        title: 'A stored value could not be decrypted',
        meaning: 'A stored encrypted value did not authenticate (wrong key material or tampering).',
        action: 'Operator: check the encryption key configuration; report it with the request id.',
      },
      {
        code: 'key/invalid-private-key',
        statuses: [500],
        title: 'A private key could not be read',
        meaning: 'A configured private key is not a valid PEM private key (PKCS#8 or PKCS#1).',
        action: 'Operator: fix the secret the certificate references.',
      },
    ],
  },
  {
    id: 'resources',
    heading: 'Consents and payments by id',
    intro: 'A path id that names nothing.',
    entries: [
      notFound('account-access-consent', 'account access consent'),
      notFound('domestic-payment-consent', 'domestic payment consent'),
      notFound('domestic-payment', 'domestic payment'),
      notFound('domestic-vrp-consent', 'domestic VRP consent'),
      notFound('domestic-vrp', 'domestic VRP payment'),
    ],
  },
  {
    id: 'service',
    heading: 'Service',
    intro: "The connector's own state: its database, readiness, and unexpected faults.",
    entries: [
      {
        code: 'database/unavailable',
        statuses: [503],
        title: 'The database is unavailable',
        meaning:
          'The connector cannot reach its database right now (it may be restarting); nothing was changed by the request unless it said otherwise.',
        action: 'Retry shortly, with the same Idempotency-Key for creations.',
      },
      {
        code: 'health/not-ready',
        statuses: [503],
        title: 'Not ready to serve',
        meaning: '`/health/ready` failed; `checks` names the failing checks.',
        action:
          'Send no traffic to this instance until it is ready; operator: fix the failing checks.',
      },
      {
        code: 'internal/error',
        statuses: [500],
        statusText: '500 (or the 5xx the framework raised)',
        title: 'Internal error',
        meaning: 'An unexpected error; it is logged with the request id.',
        action:
          'Retry creations with the same Idempotency-Key; report persistent failures with `requestId`.',
      },
    ],
  },
];

/** All entries, in document order. */
export function catalogueEntries(): ErrorCatalogueEntry[] {
  return ERROR_CATALOGUE.flatMap((area) => area.entries);
}
