export * from './account-access.module';
export * from './account-access.ports';
export * from './migrations';
export * from './consents/account-access-consent.entity';
export * from './consents/ob-permissions';
export * from './reads/aisp-endpoints';
export { ACCOUNT_ACCESS_CONSENT_HEADER } from './reads/aisp-read.service';
export { AispReadFastRoute, matchAispRead } from './reads/aisp-read.fast-route';
