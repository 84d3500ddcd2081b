import { transportError } from './bank-call-error.mapper';

const ctx = { endpoint: '/x', method: 'GET', interactionId: 'iid' };

describe('transportError', () => {
  it.each([
    [['ERR_TLS_CERT_ALTNAME_INVALID'], 'bank/tls-failure'],
    [['UNABLE_TO_VERIFY_LEAF_SIGNATURE'], 'bank/tls-failure'],
    [['DEPTH_ZERO_SELF_SIGNED_CERT'], 'bank/tls-failure'],
    [['INVALID_PURPOSE'], 'bank/tls-failure'],
    [['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'], 'bank/tls-failure'],
    [['ECONNRESET'], 'bank/connection-reset'],
    [['ERR_BAD_RESPONSE', 'ECONNRESET'], 'bank/connection-reset'],
    [['ECONNREFUSED'], 'bank/unreachable'],
    [['ENOTFOUND'], 'bank/unreachable'],
    [[], 'bank/unreachable'],
  ])('maps %j to %s, naming the code', (codes, code) => {
    const e = transportError(ctx, codes, new Error('x'));
    expect(e.code).toBe(code);
    expect(e.kind).toBe('bank-failure');
    expect(e.bank?.status).toBeNull();
    if (codes[0]) expect(e.detail).toContain(codes.find((c) => c !== 'ERR_BAD_RESPONSE'));
  });
});
