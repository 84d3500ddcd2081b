import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthContextEntity } from './auth-context.entity';
import { AuthContextRepository } from './auth-context.repository';
import { AuthContextService } from './auth-context.service';
import { ConsentAuthorisationRegistry } from './consent-authorisation.registry';
import { RedirectController } from './redirect/redirect.controller';
import { RedirectDelegateService } from './redirect/redirect-delegate.service';

/**
 * Global: the consent authorisation flow every feature shares. Feature modules register their
 * consent types with ConsentAuthorisationRegistry and serve their own
 * `POST …/{id}/auth-contexts` routes through AuthContextService. Needs the global config,
 * persistence, fapi and token-management modules.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuthContextEntity])],
  controllers: [RedirectController],
  providers: [
    ConsentAuthorisationRegistry,
    AuthContextRepository,
    AuthContextService,
    RedirectDelegateService,
  ],
  exports: [ConsentAuthorisationRegistry, AuthContextService],
})
export class AuthContextsModule {}
