/**
 * A strict mock: only the listed methods exist; touching anything else throws, so a service
 * calling a collaborator the test did not expect fails loudly.
 */
export function strictMock<T extends object>(methods: { [K in keyof T]?: jest.Mock }): jest.Mocked<T> {
  return new Proxy(methods, {
    get(target, prop) {
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      if (!(prop in target)) throw new Error(`strict mock: unexpected access to '${String(prop)}'`);
      return (target as Record<string, unknown>)[prop];
    },
  }) as unknown as jest.Mocked<T>;
}
