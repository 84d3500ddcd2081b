import { ApiResponse, ConnectorApiClient } from './api-client';

/** One request as the round-robin client sent it: which replica served it. */
export interface RoutedRequest {
  replica: number;
  method: string;
  path: string;
  status: number;
}

/**
 * A ConnectorApiClient that sends each request to the next replica in turn (what a round-robin
 * load balancer does), and remembers which replica served what, so a test can prove that the
 * steps of a journey landed on different processes.
 */
export class RoundRobinApiClient extends ConnectorApiClient {
  private next = 0;
  readonly routed: RoutedRequest[] = [];

  constructor(readonly replicas: readonly ConnectorApiClient[]) {
    super(replicas[0]?.baseUrl ?? '', undefined);
    if (replicas.length === 0) throw new Error('RoundRobinApiClient needs at least one replica');
  }

  /** The replica whose base URL starts `url` (a Link the connector rewrote), or -1. */
  replicaOf(url: string): number {
    return this.replicas.findIndex((r) => url.startsWith(`${r.baseUrl}/`));
  }

  /** The path of an absolute connector URL, so it can be sent to any replica. */
  pathOf(url: string): string {
    const u = new URL(url);
    return u.pathname + u.search;
  }

  /** Requests routed since `mark` (an index into `routed`). */
  since(mark: number): RoutedRequest[] {
    return this.routed.slice(mark);
  }

  override async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    rawBody?: string,
  ): Promise<ApiResponse<T>> {
    const replica = this.next;
    this.next = (this.next + 1) % this.replicas.length;
    const entry: RoutedRequest = { replica, method, path, status: 0 };
    this.routed.push(entry);
    const res = await this.replicas[replica].request<T>(method, path, body, headers, rawBody);
    entry.status = res.status;
    return res;
  }
}
