import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '@obc/http-api';
import { ConnectorMetrics } from './connector-metrics';

/** Prometheus scrape endpoint. */
@ApiTags('Operations')
@Public()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: ConnectorMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics.',
    description:
      'Prometheus text exposition: HTTP server request counts and durations by route template ' +
      'and status class, bank call counts and durations by bank profile, endpoint and status ' +
      'class, OB TPP reporting response counts, token cache hits and misses, process metrics. ' +
      'Open (no API key) so that Prometheus can scrape it; it holds no identifiers or secrets, ' +
      'but reveals traffic volumes and the banks in use, so protect it at the network level ' +
      '(do not expose it through the Ingress; scrape it inside the cluster).',
    security: [],
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'The metrics in Prometheus text format.',
    schema: { type: 'string' },
  })
  scrape(): Promise<string> {
    return this.metrics.exposition();
  }
}
