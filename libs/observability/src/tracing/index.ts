export * from './start-tracing';
export * from './tracing-settings';
export * from './sanitising-span.processor';
