/**
 * The RabbitMQ management HTTP API (the rabbitmq_management plugin), read-only: exchanges,
 * bindings, queues, consumers and connections of one vhost. Only GET requests are sent.
 */

export type Exchange = {
  readonly name: string;
  readonly type: string;
  readonly arguments: Readonly<Record<string, unknown>>;
};

export type Binding = {
  readonly source: string;
  readonly destination: string;
  readonly destination_type: 'queue' | 'exchange';
  readonly routing_key: string;
  readonly arguments: Readonly<Record<string, unknown>>;
};

export type Queue = {
  readonly name: string;
  readonly state?: string;
  readonly exclusive?: boolean;
  readonly messages_ready?: number;
  readonly messages_unacknowledged?: number;
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** The policy in force, where `dead-letter-exchange` may be set instead of an argument. */
  readonly effective_policy_definition?: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly owner_pid_details?: { readonly name?: string };
  readonly message_stats?: { readonly deliver_get_details?: { readonly rate?: number } };
};

export type QueueConsumer = {
  readonly consumer_tag: string;
  readonly queue: { readonly name: string };
  readonly channel_details?: { readonly connection_name?: string; readonly peer_host?: string };
};

type Connection = { readonly name: string; readonly client_properties?: { readonly connection_name?: string } };

/** Where the API is and how to log in; the password never leaves this object. */
export type ManagementAccess = {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
};

/** The API answered with something other than 200: the status says why (401, 404, …). */
export class ManagementError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ManagementError';
  }
}

export class Management {
  constructor(private readonly access: ManagementAccess) {}

  /** The API's address, for messages (never with credentials). */
  get where(): string {
    return this.access.url;
  }

  exchanges(): Promise<Exchange[]> {
    return this.get(`/api/exchanges/${this.vhost}`);
  }

  bindings(): Promise<Binding[]> {
    return this.get(`/api/bindings/${this.vhost}`);
  }

  queues(): Promise<Queue[]> {
    return this.get(`/api/queues/${this.vhost}`);
  }

  consumers(): Promise<QueueConsumer[]> {
    return this.get(`/api/consumers/${this.vhost}`);
  }

  /** Whether an admin turned the firehose on for this vhost (`rabbitmqctl trace_on`). */
  async tracing(): Promise<boolean> {
    return (await this.get<{ tracing?: boolean }>(`/api/vhosts/${this.vhost}`)).tracing === true;
  }

  /** Names ("ip:port -> ip:port") of the connections whose client named them with `prefix`. */
  async connectionsNamed(prefix: string): Promise<Set<string>> {
    const all = await this.get<Connection[]>('/api/connections');
    return new Set(all.filter((c) => c.client_properties?.connection_name?.startsWith(prefix)).map((c) => c.name));
  }

  private get vhost(): string {
    return encodeURIComponent(this.access.vhost);
  }

  private async get<T>(path: string): Promise<T> {
    const auth = Buffer.from(`${this.access.username}:${this.access.password}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(new URL(path, this.access.url), {
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new ManagementError(undefined, `the management API at ${this.access.url} does not answer (${cause})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new ManagementError(res.status, `the management API at ${this.access.url} answered ${res.status}`);
    }
    return (await res.json()) as T;
  }
}
