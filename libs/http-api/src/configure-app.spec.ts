import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp } from './configure-app';

@Controller('things')
class ThingsController {
  @Get()
  list(): { items: string[] } {
    return { items: ['a', 'b'] };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('configureApp', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ThingsModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureApp(app);
    await app.init();
  });

  afterAll(() => app.close());

  it('answers without naming the stack or hashing the body for an ETag, with a request id', async () => {
    const res = await request(app.getHttpServer()).get('/v1/things').expect(200);
    expect(res.body).toEqual({ items: ['a', 'b'] });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['etag']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
