export * from './auth/public.decorator';
export * from './auth/api-key.guard';
export * from './auth/api-key.strategy';
export * from './auth/api-key.verifier';
export * from './health/health.controller';
export * from './openapi/openapi';
export * from './configure-app';
export * from './http-api.module';
