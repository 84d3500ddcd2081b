import { TlsAgentCache } from './tls-agent.cache';

const transport = (id: string, cert = `cert-${id}`) => ({
  id,
  certificatePem: cert,
  privateKeyPem: 'unused',
});

describe('TlsAgentCache', () => {
  it('keys agents by identity, certificate and trust bundle', () => {
    const cache = new TlsAgentCache();
    try {
      const a = cache.agentFor(undefined, []);
      expect(cache.agentFor(undefined, ['', '  '])).toBe(a);
      const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
      // An agent with certificates is only built lazily by Node on connect, so fake PEMs are fine here.
      expect(cache.agentFor(undefined, [ca])).not.toBe(a);
      expect(cache.size).toBe(2);
    } finally {
      cache.close();
    }
  });

  it('is bounded: the least recently used agent is retired and destroyed after a grace', () => {
    jest.useFakeTimers();
    const cache = new TlsAgentCache({ maxAgents: 2, retireGraceMs: 1_000 });
    try {
      const t1 = cache.agentFor(transport('one'), []);
      const t2 = cache.agentFor(transport('two'), []);
      expect(cache.agentFor(transport('one'), [])).toBe(t1); // now 'two' is least recent
      const destroy2 = jest.spyOn(t2, 'destroy');
      cache.agentFor(transport('three'), []);
      expect(cache.size).toBe(2);
      expect(cache.agentFor(transport('one'), [])).toBe(t1);
      expect(destroy2).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1_000);
      expect(destroy2).toHaveBeenCalled();
      expect(cache.agentFor(transport('two'), [])).not.toBe(t2);
    } finally {
      cache.close();
      jest.useRealTimers();
    }
  });

  it('gives a new agent when the certificate for the same id changes', () => {
    const cache = new TlsAgentCache();
    try {
      expect(cache.agentFor(transport('x', 'c1'), [])).not.toBe(
        cache.agentFor(transport('x', 'c2'), []),
      );
    } finally {
      cache.close();
    }
  });

  it('hashes a transport once, and tells its trust bundles apart', () => {
    const cache = new TlsAgentCache();
    const hash = jest.spyOn(cache as unknown as { keyOf(): string }, 'keyOf');
    try {
      const t = transport('held');
      const ca = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----';
      const plain = cache.agentFor(t, ['']);
      for (let i = 0; i < 5; i++) expect(cache.agentFor(t, [''])).toBe(plain);
      expect(hash).toHaveBeenCalledTimes(1);
      const withCa = cache.agentFor(t, [ca]);
      expect(withCa).not.toBe(plain);
      expect(cache.agentFor(t, [ca])).toBe(withCa);
      // Another object with the same content: the same agent (the key is by value).
      expect(cache.agentFor(transport('held'), [ca])).toBe(withCa);
    } finally {
      cache.close();
    }
  });
});
