import { BankRequestBody } from './bank-http.types';

/**
 * Serialises a request body exactly once. Callers that sign the body (detached JWS) serialise
 * it with this first, sign the string, and pass the string: the bytes signed are the bytes sent.
 */
export function serializeBankBody(body: BankRequestBody): {
  bytes: string | Buffer;
  json: boolean;
} {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return { bytes: body, json: false };
  return { bytes: JSON.stringify(body), json: true };
}
