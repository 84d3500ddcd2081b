export * from './generate-test-pki';
export * from './load-test-pki';
export * from './pki-manifest';
export * from './key-id';
export * from './random-ids';
export * from './tpp-enrolment';
