// Three tiers (see README "Tests"): unit specs beside the code, integration on real
// PostgreSQL, end-to-end against the mock bank over real mTLS (spawned from dist/).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
// Nest 12, jose, oidc-provider and others ship ES modules only; jest (CommonJS) loads them
// through the same swc transform, so node_modules are transformed too (cached after the first run).
const swcJs = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@obc/test-support/(.*)$': '<rootDir>/test/support/$1',
  '^@obc/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const base = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swcJs },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|jose|oidc-provider|uid|file-type|load-esm|strtok3|token-types|peek-readable|@tokenizer|uint8array-extras|@borewit|quick-lru|nanoid|@koa|koa|eta|got|oidc-token-hash|@peculiar)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.cache', '<rootDir>/data'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/test/integration/**/*.int-spec.ts',
        '<rootDir>/test/deploy/**/*.int-spec.ts',
        '<rootDir>/{apps,libs}/**/*.int-spec.ts',
      ],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
