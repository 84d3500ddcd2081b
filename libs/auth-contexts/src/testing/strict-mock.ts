/**
 * A strict mock: only the listed methods exist; touching anything else throws, so a service
 * calling a collaborator the test did not expect fails loudly.
 */
// Nest probes providers for lifecycle hooks; those may be absent.
const PROBED = new Set([
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'toJSON',
  'asymmetricMatch',
  'nodeType',
  '$$typeof',
]);

export function strictMock<T extends object>(methods: {
  [K in keyof T]?: jest.Mock;
}): jest.Mocked<T> {
  return new Proxy(methods, {
    get(target, prop) {
      if (prop === 'then' || typeof prop === 'symbol' || (PROBED.has(prop) && !(prop in target)))
        return undefined;
      if (!(prop in target)) throw new Error(`strict mock: unexpected access to '${String(prop)}'`);
      return (target as Record<string, unknown>)[prop];
    },
  }) as unknown as jest.Mocked<T>;
}
