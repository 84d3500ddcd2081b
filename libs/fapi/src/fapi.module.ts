import { Global, Module } from '@nestjs/common';
import { KeyStore } from './key-store';

/** Global: security primitives. Only the key store is stateful; the rest are plain functions. */
@Global()
@Module({ providers: [KeyStore], exports: [KeyStore] })
export class FapiModule {}
