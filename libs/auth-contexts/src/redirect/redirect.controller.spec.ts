import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { INestApplication, VersioningType } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createValidationPipe, ProblemDetailsFilter } from '@obc/common';
import { IS_PUBLIC_ROUTE } from '@obc/http-api';
import { StateExpiredError, UnknownStateError } from '../auth-context.errors';
import { strictMock } from '@obc/test-support/strict-mock';
import { RedirectController } from './redirect.controller';
import { RedirectDelegateService } from './redirect-delegate.service';

const AUTHORISED = { consentType: 'account-access', consentId: 'consent-1' };

describe('RedirectController', () => {
  let app: INestApplication;
  const delegate = strictMock<RedirectDelegateService>({ complete: jest.fn() });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [RedirectController],
      providers: [
        { provide: RedirectDelegateService, useValue: delegate },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });
  afterAll(() => app.close());
  beforeEach(() => delegate.complete.mockReset());

  it('every route is public: the single-use state is the credential', () => {
    expect(Reflect.getMetadata(IS_PUBLIC_ROUTE, RedirectController)).toBe(true);
  });

  it('accepts the redirect parameters form-encoded (a bank form_post or an HTML form)', async () => {
    delegate.complete.mockResolvedValue(AUTHORISED as never);
    const res = await request(app.getHttpServer())
      .post('/v1/auth/redirect-delegate')
      .type('form')
      .send('state=s-1&code=c-1&id_token=a.b.c&response_mode=form_post')
      .expect(200);
    expect(res.body).toEqual(AUTHORISED);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(delegate.complete).toHaveBeenCalledWith({
      state: 's-1',
      code: 'c-1',
      id_token: 'a.b.c',
      error: undefined,
      error_description: undefined,
      response_mode: 'form_post',
    });
  });

  it('accepts JSON', async () => {
    delegate.complete.mockResolvedValue(AUTHORISED as never);
    await request(app.getHttpServer())
      .post('/v1/auth/redirect-delegate')
      .send({ state: 's-1', error: 'access_denied', error_description: 'no' })
      .expect(200);
    expect(delegate.complete).toHaveBeenCalledWith(
      expect.objectContaining({ state: 's-1', error: 'access_denied', error_description: 'no' }),
    );
  });

  it.each([
    ['no state', { code: 'c' }, 'state'],
    ['an unknown field', { state: 's', extra: 'x' }, 'extra'],
    ['a non-string code', { state: 's', code: 5 }, 'code'],
    ['an oversized error', { state: 's', error: 'e'.repeat(257) }, 'error'],
  ])('refuses %s with a 400 problem naming the field', async (_what, body, field) => {
    const res = await request(app.getHttpServer())
      .post('/v1/auth/redirect-delegate')
      .send(body)
      .expect(400);
    expect(res.body.code).toBe('request/validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(delegate.complete).not.toHaveBeenCalled();
  });

  it('renders domain errors as problems (replayed state: 400 auth/unknown-state)', async () => {
    delegate.complete.mockRejectedValue(new UnknownStateError());
    const res = await request(app.getHttpServer())
      .post('/v1/auth/redirect-delegate')
      .type('form')
      .send('state=used')
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({ code: 'auth/unknown-state', status: 400 });
  });

  describe('GET /v1/auth/redirect (query mode)', () => {
    it('completes and shows a result page without scripts', async () => {
      delegate.complete.mockResolvedValue(AUTHORISED as never);
      const res = await request(app.getHttpServer())
        .get('/v1/auth/redirect?state=s-1&code=c-1&iss=https%3A%2F%2Fbank&session_state=x')
        .expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('<h1 id="status">Authorised</h1>');
      expect(res.text).toContain('consent-1');
      expect(res.text).not.toContain('<script');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).not.toContain('script-src');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(delegate.complete).toHaveBeenCalledWith({
        state: 's-1',
        code: 'c-1',
        id_token: undefined,
        error: undefined,
        error_description: undefined,
        iss: 'https://bank', // passed on and checked against the issuer (RFC 9207)
        response_mode: 'query',
      });
    });

    it("shows the problem code with the problem's status", async () => {
      delegate.complete.mockRejectedValue(new StateExpiredError());
      const res = await request(app.getHttpServer())
        .get('/v1/auth/redirect?state=old&code=c')
        .expect(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('Not authorised');
      expect(res.text).toContain('auth/state-expired');
    });

    it('escapes what it shows', async () => {
      delegate.complete.mockResolvedValue({
        consentType: 'account-access',
        consentId: '<img src=x onerror=alert(1)>',
      } as never);
      const res = await request(app.getHttpServer()).get('/v1/auth/redirect?state=s').expect(200);
      expect(res.text).not.toContain('<img');
      expect(res.text).toContain('&#60;img');
    });

    it('a redirect without a state is a 400 page', async () => {
      const res = await request(app.getHttpServer()).get('/v1/auth/redirect?code=c').expect(400);
      expect(res.text).toContain('request/validation-failed');
      expect(delegate.complete).not.toHaveBeenCalled();
    });
  });

  describe('GET /v1/auth/fragment-redirect', () => {
    async function landingPage() {
      const res = await request(app.getHttpServer()).get('/v1/auth/fragment-redirect').expect(200);
      const script = /<script>([\s\S]*)<\/script>/.exec(res.text)?.[1] ?? '';
      return { res, script };
    }

    it('allows exactly its one inline script by hash, and calls only the connector', async () => {
      const { res, script } = await landingPage();
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('id="status"');
      expect(res.text).toContain('id="result"');
      const csp = res.headers['content-security-policy'];
      const hash = createHash('sha256').update(script).digest('base64');
      expect(csp).toContain(`script-src 'sha256-${hash}'`);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe');
      const style = /<style>([\s\S]*)<\/style>/.exec(res.text)?.[1] ?? '';
      expect(csp).toContain(
        `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
      );
    });

    /** Runs the page's script against a minimal browser: the fragment in, the POST out. */
    async function runScript(
      script: string,
      hash: string,
      answer: { ok: boolean; body: unknown },
    ): Promise<{ status: string; result: string; posted: unknown[]; replaced: unknown[] }> {
      const elements = { status: { textContent: '' }, result: { textContent: '' } };
      const posted: unknown[] = [];
      const replaced: unknown[] = [];
      let settle!: () => void;
      const done = new Promise<void>((resolve) => (settle = resolve));
      const context = {
        URLSearchParams,
        JSON,
        window: { location: { hash, pathname: '/v1/auth/fragment-redirect' } },
        document: { getElementById: (id: 'status' | 'result') => elements[id] },
        history: { replaceState: (...args: unknown[]) => replaced.push(args) },
        fetch: async (url: string, init: { body: string; method: string }) => {
          posted.push({ url, method: init.method, body: JSON.parse(init.body) });
          return {
            ok: answer.ok,
            json: async () => {
              setTimeout(settle, 0);
              return answer.body;
            },
          };
        },
      };
      runInNewContext(script, context);
      if (posted.length > 0) await done;
      await new Promise((r) => setTimeout(r, 0));
      return {
        status: elements.status.textContent,
        result: elements.result.textContent,
        posted,
        replaced,
      };
    }

    it('posts the fragment parameters to the delegate and shows "Authorised"', async () => {
      const { script } = await landingPage();
      const out = await runScript(script, '#code=c-1&id_token=a.b.c&state=s-1&session_state=z', {
        ok: true,
        body: AUTHORISED,
      });
      expect(out.posted).toEqual([
        {
          url: '/v1/auth/redirect-delegate',
          method: 'POST',
          body: { response_mode: 'fragment', state: 's-1', code: 'c-1', id_token: 'a.b.c' },
        },
      ]);
      expect(out.replaced).toHaveLength(1);
      expect(out.status).toBe('Authorised');
      expect(out.result).toContain('consent-1');
    });

    it('shows the problem code when the delegate refuses', async () => {
      const { script } = await landingPage();
      const out = await runScript(script, '#error=access_denied&state=s-1', {
        ok: false,
        body: { code: 'auth/bank-error', detail: 'declined' },
      });
      expect(out.status).toBe('Not authorised');
      expect(out.result).toBe('auth/bank-error: declined');
    });

    it('posts nothing without a state', async () => {
      const { script } = await landingPage();
      const out = await runScript(script, '', { ok: true, body: {} });
      expect(out.posted).toEqual([]);
      expect(out.status).toBe('Not authorised');
    });
  });
});
