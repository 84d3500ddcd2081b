export * from './api-version-mapper';
export { unsupportedByVersion } from './v3-1-11/shape';
export { frequencyToV4 } from './v3-1-11/account-access';
