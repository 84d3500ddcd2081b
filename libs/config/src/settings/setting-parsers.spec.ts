import { parseSettingValue } from './setting-parsers';
import { ConfigSetting } from './setting.types';

const s = (over: Partial<ConfigSetting>): ConfigSetting => ({
  env: 'X',
  path: 'x',
  type: 'string',
  description: 'x',
  ...over,
});

describe('parseSettingValue', () => {
  it.each([
    ['42', 42],
    [' 7 ', 7],
    [3000, 3000],
  ])('integer %p -> %p', (raw, want) => {
    expect(parseSettingValue(s({ type: 'integer', min: 0, max: 65535 }), raw)).toEqual({
      ok: true,
      value: want,
    });
  });

  it.each(['abc', '1.5', '70000', '-1', '', '0x10'])('integer rejects %p with the range', (raw) => {
    const out = parseSettingValue(s({ type: 'integer', min: 0, max: 65535 }), raw);
    expect(out).toEqual({ ok: false, expected: `expected an integer 0-65535, got '${raw}'` });
  });

  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    ['off', false],
    ['0', false],
    [false, false],
  ])('boolean %p -> %p', (raw, want) => {
    expect(parseSettingValue(s({ type: 'boolean' }), raw)).toEqual({ ok: true, value: want });
  });

  it('boolean rejects other words', () => {
    expect(parseSettingValue(s({ type: 'boolean' }), 'maybe')).toMatchObject({
      ok: false,
      expected: expect.stringContaining("got 'maybe'"),
    });
  });

  it('url checks the scheme', () => {
    expect(parseSettingValue(s({ type: 'url' }), 'https://x.test/a')).toEqual({
      ok: true,
      value: 'https://x.test/a',
    });
    expect(parseSettingValue(s({ type: 'url' }), 'ftp://x.test')).toMatchObject({
      ok: false,
      expected: "expected an http(s) URL, got 'ftp://x.test'",
    });
    expect(
      parseSettingValue(s({ type: 'url', protocols: ['postgres'] }), 'postgres://u@h/db'),
    ).toMatchObject({ ok: true });
    expect(parseSettingValue(s({ type: 'url' }), 'not a url')).toMatchObject({ ok: false });
  });

  it('enum lower-cases and lists the allowed values', () => {
    const e = s({ type: 'enum', allowed: ['a', 'b'] });
    expect(parseSettingValue(e, 'B')).toEqual({ ok: true, value: 'b' });
    expect(parseSettingValue(e, 'c')).toEqual({
      ok: false,
      expected: "expected one of a|b, got 'c'",
    });
  });

  it('string-list splits, trims and drops empties; accepts arrays', () => {
    expect(parseSettingValue(s({ type: 'string-list' }), ' a, b ,,c')).toEqual({
      ok: true,
      value: ['a', 'b', 'c'],
    });
    expect(parseSettingValue(s({ type: 'string-list' }), ['x', 'y'])).toEqual({
      ok: true,
      value: ['x', 'y'],
    });
    expect(parseSettingValue(s({ type: 'string-list' }), [1])).toMatchObject({ ok: false });
  });

  it('json-object parses JSON and refuses arrays and bad JSON', () => {
    expect(parseSettingValue(s({ type: 'json-object' }), '{"a":{}}')).toEqual({
      ok: true,
      value: { a: {} },
    });
    expect(parseSettingValue(s({ type: 'json-object' }), '[1]')).toMatchObject({ ok: false });
    expect(parseSettingValue(s({ type: 'json-object' }), '{oops')).toMatchObject({
      ok: false,
      expected: expect.stringContaining('invalid JSON'),
    });
  });

  it('base64-key needs exactly the byte length and hides secret values', () => {
    const key = Buffer.alloc(32, 7);
    const setting = s({ type: 'base64-key', min: 32, secret: true });
    const ok = parseSettingValue(setting, key.toString('base64'));
    expect(ok.ok && Buffer.isBuffer(ok.value) && ok.value.equals(key)).toBe(true);
    expect(parseSettingValue(setting, key.toString('base64url'))).toMatchObject({ ok: true });
    expect(parseSettingValue(setting, Buffer.alloc(16).toString('base64'))).toEqual({
      ok: false,
      expected: 'expected base64 of exactly 32 bytes, got 16 bytes',
    });
    const bad = parseSettingValue(setting, 'not base64 !!! secretvalue');
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('secretvalue');
  });

  it('string refuses blank values', () => {
    expect(parseSettingValue(s({ type: 'string' }), '  ')).toMatchObject({ ok: false });
    expect(parseSettingValue(s({ type: 'string' }), ' v ')).toEqual({ ok: true, value: 'v' });
  });

  it('runs refine after the type parse', () => {
    const r = s({
      type: 'string',
      refine: (v) => (v === 'ok' ? { ok: true, value: 'OK' } : { ok: false, expected: 'nope' }),
    });
    expect(parseSettingValue(r, 'ok')).toEqual({ ok: true, value: 'OK' });
    expect(parseSettingValue(r, 'ko')).toEqual({ ok: false, expected: 'nope' });
  });
});
