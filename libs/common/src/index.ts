export * from './errors/domain.error';
export * from './errors/problem';
export * from './errors/problem-details.filter';
export * from './http/request-id';
export * from './http/validation';
export * from './log/redact';
export * from './time/clock';
export * from './common.module';
