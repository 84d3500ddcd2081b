export * from './consent-authorisation-target';
export * from './consent-authorisation.registry';
export * from './auth-context.entity';
export * from './auth-context.errors';
export * from './migrations';
