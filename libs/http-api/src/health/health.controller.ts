import {
  Controller,
  Get,
  Inject,
  ServiceUnavailableException,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';
import { Public } from '../auth/public.decorator';

/**
 * Probes. Open (no API key) so that Kubernetes can call them; they reveal nothing beyond
 * up/down and the names of the checks.
 */
@ApiTags('Operations')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database reachable, migrations applied, bank profiles loaded.',
  })
  @ApiOkResponse({ description: 'Ready to serve.' })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: problem `health/not-ready`; its `checks` names the failing checks.',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.checks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as Partial<HealthCheckResult>;
      const failing = Object.keys(result.error ?? {});
      throw new DomainError('health/not-ready', 'unavailable', 'Not ready to serve', {
        detail: `Failing checks: ${failing.join(', ') || 'unknown'}.`,
        extensions: { checks: failing },
      });
    }
  }

  private checks(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 3000 }),
      async () => {
        const check = this.indicators.check('migrations');
        let pending: boolean;
        try {
          pending = await this.dataSource.showMigrations();
        } catch {
          // The database check reports why; this one only cannot tell.
          return check.down({ message: 'the migrations table cannot be read' });
        }
        return pending
          ? check.down({ message: 'pending migrations: run `npm run migration:run`' })
          : check.up();
      },
      () => {
        const check = this.indicators.check('bankProfiles');
        const count = this.profiles.list().length;
        return count > 0 ? check.up({ count }) : check.down({ count });
      },
    ]);
  }
}
