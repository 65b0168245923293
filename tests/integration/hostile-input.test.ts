/**
 * Every method of the contract, sent generated hostile input over the real browser-mode socket of a real
 * `cabinet web` process: each call is answered in time, never with INTERNAL, and the process still answers
 * afterwards. The methods are read from the contract, so a new method is covered without being listed here.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methods, type MethodName } from '../../shared/api.ts';
import type { RpcResponse } from '../../shared/rpc.ts';
import { STRAY_ERROR_MARK } from '../../electron/core/process-guard.ts';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT, startCabinetProcess, type CabinetProcess } from '../support/cabinet-process.ts';
import { openRpcSocket, type RpcSocket } from '../support/rpc-socket.ts';

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);
/** tsx's loader by file URL: the process runs in a folder of its own, where a bare `tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;
const RUNS_PER_METHOD = 40;

/** An object's keys, and for each key that is itself an object, its keys: the shape hostile input aims at. */
interface Shape {
  keys: string[];
  nested: Record<string, Shape>;
}

function shapeOf(schema: z.ZodType): Shape | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodObject)) return undefined;
  const shape = inner.shape as Record<string, z.ZodType>;
  const nested: Record<string, Shape> = {};
  for (const [key, field] of Object.entries(shape)) {
    const sub = shapeOf(field);
    if (sub) nested[key] = sub;
  }
  return { keys: Object.keys(shape), nested };
}

/** JSON text, written by hand so that keys like `__proto__` arrive as own properties, as an attacker sends them. */
type Json = { raw: string };
const json = (value: unknown): Json => ({ raw: JSON.stringify(value) ?? 'null' });
const objectText = (entries: [string, Json][]): Json => ({ raw: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.raw}`).join(',')}}` });

// Strings never start with a slash: a valid absolute path could make a call create folders on this machine.
const hostileString = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', ' ', '\u0000', '..', '../../etc/passwd', "'; drop table x; --", '<img src=x onerror=alert(1)>', 'demo', 'postgres', 'mysql', '%s%n'),
  )
  .filter((s) => !/^[/\\]/.test(s) && !/^[A-Za-z]:/.test(s));
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(0, -1, 0.5, 65536, 70000, 2 ** 53 + 1, 1e308, -1e308),
  hostileString,
);
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
}));
const strangeKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra');

function hostileObject(shape: Shape): fc.Arbitrary<Json> {
  const field = (key: string): fc.Arbitrary<Json> => {
    const nested = shape.nested[key];
    return nested ? fc.oneof(hostileObject(nested), hostileValue.map(json)) : hostileValue.map(json);
  };
  return fc
    .tuple(
      fc.subarray(shape.keys).chain((keys) => fc.tuple(...keys.map((k) => field(k).map((v): [string, Json] => [k, v])))),
      fc.array(fc.tuple(strangeKey, hostileValue.map(json)), { maxLength: 2 }),
    )
    .map(([known, extra]) => objectText([...known, ...extra]));
}

function hostileInput(shape: Shape | undefined): fc.Arbitrary<Json> {
  return shape ? fc.oneof(hostileObject(shape), hostileObject(shape), hostileValue.map(json)) : hostileValue.map(json);
}

/** Hand-picked extremes every method gets, beside the generated ones. */
function extremes(shape: Shape | undefined): Json[] {
  const first = shape?.keys[0] ?? 'x';
  let deep = '0';
  for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
  return [
    { raw: 'null' },
    { raw: '[]' },
    { raw: '"text"' },
    { raw: '{}' },
    objectText([[first, json(FIVE_MB)]]),
    objectText([[first, { raw: deep }]]),
    objectText([['__proto__', json({ polluted: true })]]),
    objectText([['constructor', json({ prototype: { polluted: true } })]]),
  ];
}

describe('hostile input to every method, over the browser-mode socket', () => {
  let cwd: string;
  let cabinet: CabinetProcess;
  let socket: RpcSocket;

  beforeAll(async () => {
    // Its own working folder: nothing a call might write can land in the repository.
    cwd = mkdtempSync(join(tmpdir(), 'cabinet-hostile-'));
    cabinet = await startCabinetProcess({ args: ['--import', TSX, join(ROOT, 'electron', 'web', 'cli.ts')], cwd });
    socket = await openRpcSocket(cabinet.port, cabinet.token);
  });
  afterAll(async () => {
    await socket?.close();
    await cabinet?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const expectProperAnswer = (method: string, input: Json, response: RpcResponse) => {
    if (response.ok) return;
    const what = `${method} ${input.raw.slice(0, 200)} → ${response.error.code}: ${response.error.message}`;
    expect(response.error.code, what).not.toBe('INTERNAL');
    // A message for a person: no JavaScript stack, no source path.
    expect(response.error.message, what).not.toMatch(/\n\s+at |\/work\/|node_modules|\.ts:\d+/);
  };

  it('answers every method with BAD_INPUT or a proper error, never INTERNAL, and stays up', async () => {
    const names = Object.keys(methods) as MethodName[];
    expect(names.length).toBeGreaterThan(20);
    const codes = new Map<string, number>();
    for (const method of names) {
      const shape = shapeOf(methods[method].input as z.ZodType);
      const inputs = [...extremes(shape), ...fc.sample(hostileInput(shape), { numRuns: RUNS_PER_METHOD, seed: 42 })];
      for (const input of inputs) {
        const response = await socket.callRaw(method, input.raw, 10_000);
        expectProperAnswer(method, input, response);
        const code = response.ok ? 'ok' : response.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    // Most of it is refused at the door.
    expect(codes.get('BAD_INPUT') ?? 0).toBeGreaterThan(names.length * RUNS_PER_METHOD * 0.5);
    expect(await socket.call('app/info', {})).toMatchObject({ ok: true, value: { mode: 'browser' } });
    expect(cabinet.child.exitCode).toBeNull();
    expect(cabinet.output()).not.toContain(STRAY_ERROR_MARK);
  });

  it('answers frames that are not calls, or not JSON, without falling over', async () => {
    for (const frame of ['not json', '[]', '123', 'null', '{"id":"x","method":"app/info"}', '{}', '{"id":1e400}']) socket.sendRaw(frame);
    socket.sendRaw(Buffer.from([0xff, 0xfe, 0x00]));
    expect(await socket.callRaw('app/info', '{}')).toMatchObject({ ok: true });
    expect(await socket.call({ not: 'a name' }, {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await socket.call('constructor', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await socket.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(cabinet.output()).not.toContain(STRAY_ERROR_MARK);
  });

  it('refuses a PostgreSQL port of 70000 or "abc" at once, naming the field (it used to kill the process)', async () => {
    const params = { engine: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'postgres', sslMode: 'disable' };
    for (const port of [70000, 'abc', 0, 5432.5]) {
      const answer = await socket.call('connections/test', { params: { ...params, port } }, 3_000);
      expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('params.port: expected a port number from 1 to 65535') } });
    }
    expect(await socket.call('connections/test', { params: { ...params, port: 5432, engine: 'oracle' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringContaining('params.engine: expected "postgres" or "mysql"') },
    });
    expect(await socket.call('migrations/status', { connectionId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringContaining('dir:') },
    });
    expect(await socket.call('app/info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('extra') } });
  });
});
