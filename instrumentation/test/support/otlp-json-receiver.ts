// Receives OTLP/HTTP JSON exports (/v1/traces, /v1/metrics) on 127.0.0.1 and flattens them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };
export type Attrs = Record<string, unknown>;

export interface ReceivedSpan {
  service: unknown;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Attrs;
}

export interface ReceivedPoint {
  service: unknown;
  metric: string;
  attributes: Attrs;
  value?: number;
  count?: number;
  sum?: number;
  explicitBounds?: number[];
}

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return value.arrayValue.values.map(valueOf);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Attrs {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

export class OtlpJsonReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly points: ReceivedPoint[] = [];
  private server: Server | undefined;
  private port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const contentType = req.headers['content-type'] ?? '';
        if (!contentType.startsWith('application/json')) {
          res.statusCode = 415;
          res.end(`expected OTLP JSON, got ${contentType}`);
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (req.url === '/v1/traces') this.addTraces(body);
        else if (req.url === '/v1/metrics') this.addMetrics(body);
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private addTraces(body: any): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = attributesOf(resourceSpans.resource?.attributes)['service.name'];
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private addMetrics(body: any): void {
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      const service = attributesOf(resourceMetrics.resource?.attributes)['service.name'];
      for (const scope of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scope.metrics ?? []) {
          const data = metric.histogram ?? metric.sum ?? metric.gauge;
          for (const point of data?.dataPoints ?? []) {
            this.points.push({
              service,
              metric: metric.name,
              attributes: attributesOf(point.attributes),
              value:
                point.asDouble ?? (point.asInt !== undefined ? Number(point.asInt) : undefined),
              count: point.count !== undefined ? Number(point.count) : undefined,
              sum: point.sum,
              explicitBounds: point.explicitBounds,
            });
          }
        }
      }
    }
  }
}
