export * from './detached-jws.constants';
export * from './detached-jws.error';
export * from './detached-jws.signer';
export * from './detached-jws.verifier';
export * from './detached-jws.service';
