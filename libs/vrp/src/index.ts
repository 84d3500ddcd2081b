export * from './vrp.module';
export * from './vrp.ports';
export * from './migrations';
export * from './consents/domestic-vrp-consent.entity';
export * from './payments/domestic-vrp.entity';
export { VRP_TYPES } from './common/vrp-validation';
