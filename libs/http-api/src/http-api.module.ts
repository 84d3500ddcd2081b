import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { ProblemDetailsFilter } from '@obc/common';
import { ConnectorConfig } from '@obc/config';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyStrategy } from './auth/api-key.strategy';
import { ApiKeyVerifier } from './auth/api-key.verifier';
import { HealthController } from './health/health.controller';

/** The API surface shared by every route: caller authentication, problem+json, health. */
@Module({
  imports: [PassportModule, TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [
    {
      provide: ApiKeyVerifier,
      inject: [ConnectorConfig],
      useFactory: (config: ConnectorConfig) => new ApiKeyVerifier(config.auth.apiKeys),
    },
    ApiKeyStrategy,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    ProblemDetailsFilter,
    { provide: APP_FILTER, useExisting: ProblemDetailsFilter },
  ],
})
export class HttpApiModule {}
