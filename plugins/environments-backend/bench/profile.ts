import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import path from 'node:path';

/** Where a case spends its CPU: the functions with the most self time. */
export interface ProfileSummary {
  /** The saved `.cpuprofile`, relative to the repository (open it in Chrome's DevTools). */
  file: string;
  /** Share of samples in which the process was busy (not idle). */
  busyShare: number;
  top: Array<{ name: string; where: string; share: number }>;
  /**
   * The plugin's own functions by inclusive time: samples with the function anywhere on the
   * (synchronous) stack. Shows which of our steps the self time above belongs to.
   */
  ours: Array<{ name: string; where: string; share: number }>;
}

interface CpuProfileNode {
  id: number;
  children?: number[];
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
}

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * `pg/lib/client.js:12` or `plugins/…/x.ts:34`, short enough for a table. Our TypeScript runs
 * transpiled, so its positions go back through the inline source maps (`yarn bench` runs with
 * `--enable-source-maps`, which makes Node keep them).
 */
function shortLocation(frame: CpuProfileNode['callFrame']): string {
  let file = frame.url.replace(/^file:\/\//, '');
  let line = frame.lineNumber;
  // An empty object when the position has no mapping.
  const original = (
    file
      ? findSourceMap(file)?.findEntry(frame.lineNumber, frame.columnNumber)
      : undefined
  ) as { originalSource?: string; originalLine: number } | undefined;
  if (original?.originalSource) {
    file = original.originalSource.replace(/^file:\/\//, '');
    line = original.originalLine;
  }
  const inModules = file.lastIndexOf('node_modules/');
  const shown =
    inModules >= 0
      ? file.slice(inModules + 'node_modules/'.length)
      : path.relative(repoRoot, file) || file;
  return shown ? `${shown}:${line + 1}` : '(native)';
}

/**
 * Runs `work` under the V8 sampling profiler of this process (what `node --cpu-prof` records,
 * limited to the case), saves the profile under test-results/profiles, and sums self time per
 * function. The profile covers the whole process, so the backend's handlers, the database
 * driver and the load generator all show up, each by its file.
 */
export async function profiled(
  label: string,
  work: () => Promise<void>,
  topCount = 12,
): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  let profile: CpuProfile;
  try {
    await work();
  } finally {
    profile = (await session.post('Profiler.stop')).profile as CpuProfile;
    session.disconnect();
  }

  const file = path.join(
    repoRoot,
    'test-results',
    'profiles',
    `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.cpuprofile`,
  );
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(profile));

  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  // Resolved once per node: source-map lookups are slow, and every sample walks its stack.
  const keys = new Map<number, string>();
  const keyOf = (node: CpuProfileNode) => {
    let key = keys.get(node.id);
    if (key === undefined) {
      key = `${
        node.callFrame.functionName || '(anonymous)'
      }\u0000${shortLocation(node.callFrame)}`;
      keys.set(node.id, key);
    }
    return key;
  };
  const selfSamples = new Map<string, number>();
  const ourSamples = new Map<string, number>();
  let idle = 0;
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    const key = keyOf(node);
    selfSamples.set(key, (selfSamples.get(key) ?? 0) + 1);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; ) {
      const frame: CpuProfileNode = byId.get(at)!;
      if (/\/plugins\/[^/]+\/src\//.test(frame.callFrame.url)) {
        onStack.add(keyOf(frame));
      }
      at = parentOf.get(at);
    }
    for (const ours of onStack) {
      ourSamples.set(ours, (ourSamples.get(ours) ?? 0) + 1);
    }
  }
  const total = profile.samples.length || 1;
  const ranked = (counts: Map<string, number>) =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topCount)
      .map(([key, samples]) => {
        const [name, where] = key.split('\u0000');
        return { name, where, share: samples / total };
      });
  return {
    file: path.relative(repoRoot, file),
    busyShare: (total - idle) / total,
    top: ranked(selfSamples),
    ours: ranked(ourSamples).slice(0, 6),
  };
}

function row(entry: { name: string; where: string; share: number }) {
  return `| ${(entry.share * 100).toFixed(1)}% | \`${entry.name}\` | ${
    entry.where
  } |`;
}

/** A profile summary as Markdown tables. */
export function profileTable(summary: ProfileSummary): string {
  const lines = [
    `Busy ${(summary.busyShare * 100).toFixed(
      0,
    )}% of the profiled time; profile: \`${summary.file}\`.`,
    '',
    '| Self time | Function | Where |',
    '| --- | --- | --- |',
    ...summary.top.map(row),
    '',
    "The plugin's own functions by inclusive (synchronous) time:",
    '',
    '| Inclusive time | Function | Where |',
    '| --- | --- | --- |',
    ...summary.ours.map(row),
  ];
  return lines.join('\n');
}
