import { Controller, Get, Inject, VERSION_NEUTRAL } from '@nestjs/common';
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
  @ApiServiceUnavailableResponse({ description: 'Not ready; the body names the failing check.' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 3000 }),
      async () => {
        const check = this.indicators.check('migrations');
        const pending = await this.dataSource.showMigrations();
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
