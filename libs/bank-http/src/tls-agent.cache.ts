import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Agent, AgentOptions } from 'node:https';
import {
  ConnectionOptions,
  createSecureContext,
  rootCertificates,
  SecureContext,
  SecureContextOptions,
} from 'node:tls';
import { BankTransport } from './bank-http.types';

/**
 * A keep-alive agent for one transport identity and trust bundle, its TLS context built once (on
 * the first connection) instead of from PEM text for every socket. Keeping `ca`, `cert` and `key`
 * out of the agent's options also keeps them out of the pool name Node computes for every
 * request (the CA list, Node's roots included, is some 200 KB of text).
 */
class MtlsAgent extends Agent {
  private context?: SecureContext;

  constructor(
    options: AgentOptions,
    private readonly material: SecureContextOptions,
  ) {
    super(options);
  }

  override createConnection(
    options: ConnectionOptions,
    callback?: (err: Error | null, socket: Socket) => void,
  ): Socket {
    this.context ??= createSecureContext(this.material);
    return (
      Agent.prototype as unknown as {
        createConnection(o: ConnectionOptions, cb?: typeof callback): Socket;
      }
    ).createConnection.call(this, { ...options, secureContext: this.context }, callback);
  }
}

export interface AgentCacheOptions {
  /** Most agents kept; the least recently used is retired past this. */
  maxAgents?: number;
  /** Idle keep-alive sockets are closed after this. */
  idleSocketMs?: number;
  /** A retired agent is destroyed after this grace, so calls in flight on it can finish. */
  retireGraceMs?: number;
}

/**
 * Keep-alive HTTPS agents, one per transport identity and trust bundle (never one for the whole
 * process: a shared agent would pool sockets authenticated with another client's certificate).
 * Keyed by a hash so no key material is held as a map key; bounded, least recently used out.
 */
export class TlsAgentCache {
  private readonly agents = new Map<string, Agent>();
  private readonly retiring = new Set<NodeJS.Timeout>();
  private readonly maxAgents: number;
  private readonly idleSocketMs: number;
  private readonly retireGraceMs: number;
  /** Agent keys by transport object (weakly: a transport dropped by its cache is forgotten). */
  private readonly keys = new WeakMap<object, { extraCaPems: readonly string[]; key: string }>();
  private readonly noTransport = {};

  constructor(options: AgentCacheOptions = {}) {
    this.maxAgents = options.maxAgents ?? 64;
    this.idleSocketMs = options.idleSocketMs ?? 60_000;
    this.retireGraceMs = options.retireGraceMs ?? 120_000;
  }

  get size(): number {
    return this.agents.size;
  }

  agentFor(transport: BankTransport | undefined, extraCaPems: readonly string[]): Agent {
    const key = this.keyFor(transport, extraCaPems);
    const cas = extraCaPems.map((p) => p.trim()).filter((p) => p.length > 0);
    const existing = this.agents.get(key);
    if (existing) {
      // Re-insert to mark as most recently used.
      this.agents.delete(key);
      this.agents.set(key, existing);
      return existing;
    }
    const agent = new MtlsAgent(
      { keepAlive: true, timeout: this.idleSocketMs },
      {
        // Node's roots plus the extras: public banks keep working when a sandbox CA is added.
        ca: cas.length > 0 ? [...rootCertificates, ...cas] : undefined,
        cert: transport?.certificatePem,
        key: transport?.privateKeyPem,
      },
    );
    this.agents.set(key, agent);
    if (this.agents.size > this.maxAgents) this.retireOldest();
    return agent;
  }

  destroyAll(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  /** Clears pending retirements too (for shutdown). */
  close(): void {
    this.destroyAll();
    for (const t of this.retiring) clearTimeout(t);
    this.retiring.clear();
  }

  private retireOldest(): void {
    const oldest = this.agents.keys().next();
    if (oldest.done) return;
    const agent = this.agents.get(oldest.value);
    this.agents.delete(oldest.value);
    if (!agent) return;
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      agent.destroy();
    }, this.retireGraceMs);
    timer.unref();
    this.retiring.add(timer);
  }

  /**
   * The agent key of a transport and trust bundle, hashed once per transport object: callers
   * hold their transport for many calls (ClientContextCache), and hashing the certificate and the
   * CA bundle on every call was a measurable part of a read. The bundle is compared by value
   * (usually the same string objects, so the comparison is immediate).
   */
  private keyFor(transport: BankTransport | undefined, extraCaPems: readonly string[]): string {
    const holder = transport ?? this.noTransport;
    const memo = this.keys.get(holder);
    if (memo && sameStrings(memo.extraCaPems, extraCaPems)) return memo.key;
    const cas = extraCaPems.map((p) => p.trim()).filter((p) => p.length > 0);
    const key = this.keyOf(transport, cas);
    this.keys.set(holder, { extraCaPems: [...extraCaPems], key });
    return key;
  }

  private keyOf(transport: BankTransport | undefined, cas: readonly string[]): string {
    const h = createHash('sha256');
    for (const part of [transport?.id ?? '', transport?.certificatePem ?? '', ...cas]) {
      h.update(String(part.length)).update(':').update(part).update('\0');
    }
    return h.digest('hex');
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
