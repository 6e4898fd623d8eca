import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LOOPBACK } from './ports';

type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean };

/** One span as the OTLP/HTTP JSON encoding carries it (ids in hex). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  scope: string;
  attributes: Attributes;
  /** The resource that sent it: service.name and the rest. */
  resource: Attributes;
}

type Attributes = Record<string, string | number | boolean | undefined>;
type KeyValues = Array<{ key: string; value: AnyValue }>;

interface ExportRequest {
  resourceSpans: Array<{
    resource: { attributes: KeyValues };
    scopeSpans: Array<{
      scope: { name: string };
      spans: Array<
        Omit<ReceivedSpan, 'scope' | 'attributes' | 'resource'> & { attributes?: KeyValues }
      >;
    }>;
  }>;
}

/**
 * An in-process OTLP/HTTP trace receiver on loopback: the app exports to it with
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json, and the test reads the spans back.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') this.add(JSON.parse(Buffer.concat(chunks).toString()));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, LOOPBACK, resolve));
    return `http://${LOOPBACK}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private add(body: ExportRequest): void {
    for (const { resource, scopeSpans } of body.resourceSpans) {
      for (const { scope, spans } of scopeSpans) {
        for (const { attributes = [], ...span } of spans) {
          const [attrs, res] = [toObject(attributes), toObject(resource.attributes)];
          this.spans.push({ ...span, scope: scope.name, attributes: attrs, resource: res });
        }
      }
    }
  }
}

function toObject(keyValues: KeyValues): Attributes {
  return Object.fromEntries(keyValues.map(({ key, value }) => [key, plain(value)]));
}

function plain(value: AnyValue): string | number | boolean | undefined {
  return (
    value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue)
  );
}
