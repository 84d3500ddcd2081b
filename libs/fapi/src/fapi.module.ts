import { Global, Module } from '@nestjs/common';
import { KeyStore } from './key-store';
import { JwksCache } from './jwks.cache';
import { IdTokenValidator } from './id-token.validator';
import { DetachedJwsService } from './jws/detached-jws.service';

/**
 * Global: security primitives. The key store and the JWKS cache are stateful; the validator uses
 * the cache. Needs the global BankHttpModule (JWKS fetches) and CommonModule (Clock).
 */
@Global()
@Module({
  providers: [KeyStore, JwksCache, IdTokenValidator, DetachedJwsService],
  exports: [KeyStore, JwksCache, IdTokenValidator, DetachedJwsService],
})
export class FapiModule {}
