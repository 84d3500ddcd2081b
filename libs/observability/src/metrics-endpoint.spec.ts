import { Controller, Get, INestApplication, Param, VersioningType } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { BankHttpMetrics } from '@obc/bank-http';
import { TokenMetrics } from '@obc/token-management';
import { ConnectorMetrics } from './connector-metrics';
import { ObservabilityModule } from './observability.module';
import { PrometheusBankHttpMetrics } from './prometheus-bank-http.metrics';

@Controller({ path: 'manage/widgets', version: '1' })
class WidgetsController {
  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    if (id === 'broken') throw new Error('boom');
    return { id };
  }
}

describe('ObservabilityModule over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ defaultMetrics: false })],
      controllers: [WidgetsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('labels requests with the route template, never the raw URL', async () => {
    await request(app.getHttpServer()).get('/v1/manage/widgets/abc-123').expect(200);
    await request(app.getHttpServer()).get('/v1/manage/widgets/def-456').expect(200);
    await request(app.getHttpServer()).get('/v1/manage/widgets/broken').expect(500);
    await request(app.getHttpServer()).get('/no/such/path/xyz').expect(404);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain(
      'obc_http_server_requests_total{method="GET",route="/v1/manage/widgets/:id",status_class="2xx"} 2',
    );
    expect(text).toContain(
      'obc_http_server_requests_total{method="GET",route="/v1/manage/widgets/:id",status_class="5xx"} 1',
    );
    expect(text).toContain(
      'obc_http_server_request_duration_seconds_count{method="GET",route="/v1/manage/widgets/:id",status_class="2xx"} 2',
    );
    expect(text).toContain(
      'obc_http_server_requests_total{method="GET",route="unmatched",status_class="4xx"} 1',
    );
    expect(text).not.toContain('abc-123');
    expect(text).not.toContain('xyz');
  });

  it('exports the implementations the bank and token modules bind', () => {
    const metrics = app.get(ConnectorMetrics);
    expect(app.get(PrometheusBankHttpMetrics)).toBeInstanceOf(BankHttpMetrics);
    expect(metrics.registry.getSingleMetric('obc_bank_requests_total')).toBeDefined();
    expect(metrics.registry.getSingleMetric('obc_token_cache_requests_total')).toBeDefined();
    expect(TokenMetrics).toBeDefined();
  });
});
