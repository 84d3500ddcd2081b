/**
 * A strict mock: only the listed members exist; touching anything else throws, so code calling
 * a collaborator the test did not set up fails loudly. Shared by every lib's unit specs.
 */
// Nest probes providers for lifecycle hooks, and jest probes values; those may be absent.
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

export function strictMock<T extends object>(members: {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown ? jest.Mock : T[K];
}): jest.Mocked<T> {
  return new Proxy(members, {
    get(target, prop) {
      if (prop === 'then' || typeof prop === 'symbol' || (PROBED.has(prop) && !(prop in target)))
        return undefined;
      if (!(prop in target)) throw new Error(`strict mock: unexpected access to '${String(prop)}'`);
      return (target as Record<string, unknown>)[prop];
    },
    has(target, prop) {
      return prop in target;
    },
  }) as unknown as jest.Mocked<T>;
}
