import http from 'node:http';
import { AddressInfo } from 'node:net';

/** The ways an upstream system fails that the plugin must survive. */
export const FAULTS = [
  'refused',
  'slow',
  'slow-body',
  'http-500',
  'http-429',
  'truncated-json',
  'html-200',
  'wrong-shape',
] as const;
export type Fault = (typeof FAULTS)[number];

/** What the upstream answers while it works. */
export type UpstreamHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => void;

/**
 * A real HTTP server on 127.0.0.1 that answers through `handler` while up and fails on purpose
 * otherwise: `refused` closes the port, `slow` waits longer than any client timeout before the
 * headers, `slow-body` sends the headers and half a body and then stalls, `http-500` and
 * `http-429` (with Retry-After) refuse, `truncated-json` and `html-200` answer 200 with what is
 * not JSON. Every server is stopped by the test that started it.
 */
export class FaultyUpstream {
  fault: Fault | undefined;
  /** Requests that reached the server. */
  requests = 0;
  private readonly server: http.Server;
  private port = 0;
  private rateLimited = { requests: 0, retryAfterSeconds: 0 };
  private failing?: { after: number; fault: Fault };

  constructor(handler: UpstreamHandler, private readonly stallMs = 5_000) {
    this.server = http.createServer((req, res) => {
      this.requests += 1;
      if (this.failing && this.failing.after-- <= 0) {
        this.fault = this.failing.fault;
      }
      this.answer(handler, req, res);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Breaks the server in one way, or mends it (`undefined`); the port stays the same. */
  async set(fault: Fault | undefined): Promise<void> {
    const wasRefusing = this.fault === 'refused';
    this.fault = fault;
    this.failing = undefined;
    if (fault === 'refused' && !wasRefusing) await this.close();
    if (fault !== 'refused' && wasRefusing) await this.start();
  }

  /** The next `requests` requests get a 429 asking to wait `retryAfterSeconds`. */
  rateLimitNext(requests: number, retryAfterSeconds: number) {
    this.rateLimited = { requests, retryAfterSeconds };
  }

  /** Answers the next `requests` requests, and fails every later one with `fault`. */
  failAfter(requests: number, fault: Exclude<Fault, 'refused'>) {
    this.failing = { after: requests, fault };
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.close();
  }

  private async close(): Promise<void> {
    const closed = new Promise<void>(resolve =>
      this.server.close(() => resolve()),
    );
    // Kept-alive connections would otherwise go on reaching a server that refuses new ones.
    this.server.closeAllConnections();
    await closed;
  }

  private answer(
    handler: UpstreamHandler,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) {
    const stall = (then: () => void) => {
      const timer = setTimeout(then, this.stallMs);
      res.on('close', () => clearTimeout(timer));
    };
    if (this.rateLimited.requests > 0) {
      this.rateLimited.requests -= 1;
      res
        .writeHead(429, {
          'content-type': 'text/plain',
          'retry-after': String(this.rateLimited.retryAfterSeconds),
        })
        .end('Too Many Requests');
      return;
    }
    switch (this.fault) {
      case undefined:
        handler(req, res);
        return;
      case 'slow':
        stall(() => handler(req, res));
        return;
      case 'slow-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"items": [');
        stall(() => res.end(']}'));
        return;
      case 'http-500':
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end('Internal Server Error');
        return;
      case 'http-429':
        res
          .writeHead(429, {
            'content-type': 'text/plain',
            'retry-after': '3600',
          })
          .end('Too Many Requests');
        return;
      case 'truncated-json':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"total_count": 3, "workflow_runs": [{"id": 1');
        return;
      case 'html-200':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body><h1>Down for maintenance</h1></body></html>');
        return;
      case 'wrong-shape':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"message": "Service in maintenance"}');
        return;
      default:
        // `refused` never gets here: its port is closed.
        res.destroy();
    }
  }
}

/** Sends a fake's answer (status, headers, body) as JSON. */
export function sendJson(
  res: http.ServerResponse,
  answer: { status: number; headers: Record<string, string>; body?: unknown },
) {
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers).end();
    return;
  }
  res
    .writeHead(answer.status, {
      ...answer.headers,
      'content-type': 'application/json',
    })
    .end(JSON.stringify(answer.body));
}

/** The request's headers as the fakes read them. */
export function fakeHeaders(req: http.IncomingMessage) {
  return {
    get: (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value ?? null;
    },
  };
}
