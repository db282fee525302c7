// Starts Prometheus with the demo metrics (31 days ending now) on 127.0.0.1:PORT (default 9090)
// and keeps it running until interrupted. Used by `yarn dev:demo` and the end-to-end tests.
//
//   node scripts/prometheus-demo.mjs [port]
const { demoFixture, startPrometheus } = await import(
  '../src/testUtils/prometheus.ts'
);

const port = Number(process.argv[2] ?? process.env.PROMETHEUS_PORT ?? 9090);
const now = Math.floor(Date.now() / 60_000) * 60;
const prometheus = await startPrometheus(demoFixture(now), { port });
console.log(`Prometheus with demo data on ${prometheus.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await prometheus.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Stays alive until a signal arrives.
setInterval(() => {}, 1 << 30);
