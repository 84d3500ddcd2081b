export * from './bank-http.types';
export * from './bank-http.settings';
export * from './bank-http.metrics';
export * from './body-serializer';
export * from './tls-agent.cache';
export * from './bank-call-error.mapper';
export * from './bank-http.client';
export * from './bank-http.module';
