/**
 * What the page asked the core, read off browser mode's WebSocket: each call (`{id, method, input}`) paired
 * with its answer (`{id, ok, value | error}`), with the time it was sent. The bench reads from it the SQL the
 * grid ran for each figure (`browse/rows` answers carry `statements`).
 */
import type { Page } from 'playwright-core';
import type { BrowseWindow } from '../../shared/browse.ts';
import type { CatalogStatements, Statement } from './raw-driver.ts';

export interface Call {
  method: string;
  input: unknown;
  sentAt: number;
  answeredAt?: number;
  ok?: boolean;
  value?: unknown;
  error?: unknown;
}

export class Wire {
  readonly calls: Call[] = [];
  private readonly open = new Map<number, Call>();

  constructor(page: Page) {
    page.on('websocket', (socket) => {
      if (!new URL(socket.url()).pathname.endsWith('/rpc')) return;
      socket.on('framesent', ({ payload }) => this.sent(payload));
      socket.on('framereceived', ({ payload }) => this.received(payload));
    });
  }

  private sent(payload: string | Buffer): void {
    const message = parse(payload);
    if (!message || typeof message.id !== 'number' || typeof message.method !== 'string') return;
    const call: Call = { method: message.method, input: message.input, sentAt: Date.now() };
    this.calls.push(call);
    this.open.set(message.id, call);
  }

  private received(payload: string | Buffer): void {
    const message = parse(payload);
    if (!message || typeof message.id !== 'number') return;
    const call = this.open.get(message.id);
    if (!call) return;
    this.open.delete(message.id);
    call.answeredAt = Date.now();
    call.ok = message.ok === true;
    call.value = message.value;
    call.error = message.error;
  }

  /** Waits until every call sent so far is answered (at most `timeoutMs`). */
  async settle(timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.open.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Calls sent in [from, to] (Date.now() times). */
  between(from: number, to: number): Call[] {
    return this.calls.filter((c) => c.sentAt >= from && c.sentAt <= to);
  }
}

function parse(payload: string | Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What a set of calls made the core run: catalog reads for open and query, each window's statements. */
export interface RanStatements {
  statements: Statement[];
  windows: number;
  rows: number;
  /** Calls that failed, with the core's message. */
  failures: string[];
  /** The windows' main statements, for the report. */
  shown: string[];
}

export function statementsOf(calls: readonly Call[], catalog: CatalogStatements | null): RanStatements {
  const out: RanStatements = { statements: [], windows: 0, rows: 0, failures: [], shown: [] };
  for (const call of calls) {
    if (!call.method.startsWith('browse/')) continue;
    if (call.ok === false) {
      const message = call.error && typeof call.error === 'object' && 'message' in call.error ? String(call.error.message) : JSON.stringify(call.error);
      out.failures.push(`${call.method}: ${message}`);
      continue;
    }
    if (call.method === 'browse/open' && catalog) out.statements.push(...catalog.open);
    if (call.method === 'browse/query' && catalog) out.statements.push(...catalog.query);
    if (call.method === 'browse/rows' && call.value) {
      const window = call.value as BrowseWindow;
      out.windows++;
      out.rows += window.rows.length;
      for (const s of window.statements) out.statements.push({ sql: s.sql, params: s.params });
      out.shown.push(window.statements.map((s) => s.sql.replace(/\s+/g, ' ')).join(' ; '));
    }
  }
  return out;
}
