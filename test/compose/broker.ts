import { randomBytes } from 'node:crypto';
import { pollUntil } from '../support/ports';
import { composeFile, ComposeStack } from './stack';

const REQUEST_TIMEOUT_MS = 10_000;
const BATCH = 500;

/**
 * A queue of the test's own, bound to the app's exchange through RabbitMQ's management API
 * (the one broker port compose publishes), drained and deleted at the end.
 */
export class EventQueue {
  readonly queue = `bookstore.compose-test.${randomBytes(4).toString('hex')}`;
  readonly received: Array<Record<string, any>> = [];
  private readonly auth: string;
  private readonly exchange: string;

  constructor(private readonly stack: ComposeStack) {
    const rabbit = composeFile().services.rabbitmq.environment!;
    const app = Object.values(composeFile().services).find((s) => s.build)!.environment!;
    this.auth = Buffer.from(
      `${rabbit.RABBITMQ_DEFAULT_USER}:${rabbit.RABBITMQ_DEFAULT_PASS}`,
    ).toString('base64');
    this.exchange = app.RABBITMQ_EXCHANGE;
  }

  private async api(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.stack.managementUrl}/api${path}`, {
      method,
      headers: { Authorization: `Basic ${this.auth}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Declares the queue and binds it once the apps have declared the exchange. */
  async bind(routingKey = 'orders.created'): Promise<void> {
    const q = `/queues/%2F/${encodeURIComponent(this.queue)}`;
    await this.api('PUT', q, { durable: false, auto_delete: false });
    await pollUntil(
      `exchange ${this.exchange} to exist and take the binding`,
      async () => {
        const path = `/bindings/%2F/e/${encodeURIComponent(this.exchange)}/q/${encodeURIComponent(this.queue)}`;
        await this.api('POST', path, { routing_key: routingKey });
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  }

  /** Takes every message waiting in the queue (acknowledged, so removed) into `received`. */
  async drain(): Promise<void> {
    for (;;) {
      const batch = (await this.api('POST', `/queues/%2F/${encodeURIComponent(this.queue)}/get`, {
        count: BATCH,
        ackmode: 'ack_requeue_false',
        encoding: 'auto',
      })) as Array<{ payload: string }>;
      for (const m of batch) this.received.push(JSON.parse(m.payload) as Record<string, any>);
      if (batch.length < BATCH) return;
    }
  }

  async delete(): Promise<void> {
    await this.api('DELETE', `/queues/%2F/${encodeURIComponent(this.queue)}`);
  }
}
