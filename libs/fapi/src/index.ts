export * from './key-store';
export * from './jwt-signer';
export * from './fapi.module';
