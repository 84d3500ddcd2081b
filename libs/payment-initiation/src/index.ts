export * from './payment-initiation.module';
export * from './payment-initiation.ports';
export * from './migrations';
export * from './consents/domestic-payment-consent.entity';
export * from './payments/domestic-payment.entity';
