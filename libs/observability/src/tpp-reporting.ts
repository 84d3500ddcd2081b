/**
 * The OB TPP reporting categories for a bank API call: a successful response (2xx), a failure
 * the bank blames on the TPP (4xx), a bank failure (5xx), or no response at all (network
 * error, TLS failure, timeout).
 */
export type TppReportingOutcome = '2xx' | '4xx' | '5xx' | 'no_response';

export function tppReportingOutcome(status: number | null): TppReportingOutcome {
  if (status === null) return 'no_response';
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 400 && status < 500) return '4xx';
  // A redirect (the connector never follows one on an API call) or any other status outside the
  // standard is a bank-side failure, as is every 5xx.
  return '5xx';
}
