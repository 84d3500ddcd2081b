export * from './connector-metrics';
export * from './tpp-reporting';
export * from './prometheus-bank-http.metrics';
export * from './prometheus-token.metrics';
export * from './http-metrics.middleware';
export * from './metrics.controller';
export * from './observability.module';
export * from './tracing';
