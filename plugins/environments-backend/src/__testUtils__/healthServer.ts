import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Health endpoints on 127.0.0.1 for the health-check tests: `/ok` answers 200, `/fail` answers
 * `state.failStatus` (500 unless a test changes it), `/redirect` 302 to another host, and
 * `/hang` never answers. `close` stops it, cutting the hanging connections.
 */
export async function startHealthServer() {
  const state = { failStatus: 500 };
  const server = http.createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200).end('ok');
    else if (req.url === '/fail') res.writeHead(state.failStatus).end();
    else if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://example.com/' }).end();
    }
    // `/hang`: left open until the server closes.
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound once, then released. */
export async function refusingPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}
