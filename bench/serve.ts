import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import type { TargetMessage, ThreadCpu } from './serve-target.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const TARGET = fileURLToPath(new URL('./serve-target.ts', import.meta.url));

/** Requests in the measured run (memory is read after them). */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
/** Requests before measuring, so both servers are warm. */
const WARM_UP = 1_000;
/** Connections the load generator keeps open. */
const CONNECTIONS = 10;
/** `send.rate` of the benchmarked site: confirmation emails started per second (`BENCH_MAIL_RATE`). */
const MAIL_RATE = Number(process.env.BENCH_MAIL_RATE ?? 100);
/** The blog's origin, sent as a browser would. */
const SITE = 'https://example.org';

/** One server's figures. */
export interface ServeFigure {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  /** Requests per second divided by the reference's (1 for the reference). */
  ratio: number;
  /** p99 latency divided by the reference's. */
  p99Ratio: number;
  /** Heap in use after a full GC, before the measured runs, after the first and after the second, in MiB. */
  heapBeforeMb: number;
  heapAfterMb: number;
  heapAfterSecondMb: number;
  rssAfterMb: number;
  /** CPU time of the server's process (all its threads) per request during the runs, in microseconds. */
  cpuPerRequestUs: number;
  /** {@link cpuPerRequestUs} divided by the reference's. */
  cpuRatio: number;
  /**
   * CPU time of the main thread alone (the one that answers) per request, in
   * microseconds: unlike the process's, it does not include the outbox
   * thread, whose emails go out at a fixed rate however fast the run is.
   */
  mainCpuPerRequestUs: number;
  /** {@link mainCpuPerRequestUs} divided by the reference's. */
  mainCpuRatio: number;
  /** CPU per request of each thread that used any, in microseconds, busiest first: the main thread, then the others, those at a lowered priority marked with their nice value. */
  threads: { label: string; us: number }[];
  /** Answers other than 2xx, and connection errors or timeouts (should both be 0). */
  non2xx: number;
  errors: number;
}

/** An SMTP server on loopback that accepts and discards everything (the confirmation emails). */
async function sinkServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The next message from a target process. */
async function nextMessage(child: ChildProcess): Promise<TargetMessage> {
  const [message] = (await once(child, 'message')) as [TargetMessage];
  if ('error' in message) throw new Error(message.error);
  return message;
}

/** CPU each thread used between two readings, in microseconds, with its nice value. */
function threadDeltas(start: Record<string, ThreadCpu>, end: Record<string, ThreadCpu>): Map<string, ThreadCpu> {
  const deltas = new Map<string, ThreadCpu>();
  for (const [tid, counters] of Object.entries(end)) deltas.set(tid, { cpu: counters.cpu - (start[tid]?.cpu ?? 0), nice: counters.nice });
  return deltas;
}

/**
 * Per-request CPU of each thread over the runs, busiest first (threads
 * under 1 µs a request left out). Node gives its threads no names, so
 * they are told apart by what can be seen: the main thread's id is the
 * process's, and a lowered priority (the outbox's nice 19) is shown.
 */
function threadFigures(pid: number | undefined, runs: Map<string, ThreadCpu>[], requests: number): { label: string; us: number }[] {
  const total = new Map<string, ThreadCpu>();
  for (const run of runs) for (const [tid, counters] of run) total.set(tid, { cpu: (total.get(tid)?.cpu ?? 0) + counters.cpu, nice: counters.nice });
  return [...total]
    .map(([tid, counters]) => ({ label: tid === String(pid) ? 'main' : counters.nice !== 0 ? `nice ${counters.nice}` : 'thread', us: counters.cpu / requests }))
    .filter((thread) => thread.us >= 1)
    .sort((a, b) => (a.label === 'main' ? -1 : b.label === 'main' ? 1 : b.us - a.us));
}

let sequence = 0;

/** Milliseconds between autocannon's samples: the resolution of a run's duration. */
const SAMPLE_MS = 10;

/** Fires `amount` subscribe requests, each with an address of its own, as the page's script sends them. */
function load(url: string, amount: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/subscribe`,
    connections: CONNECTIONS,
    amount,
    // A run of `amount` requests ends at the first sample after its last answer: with the default sample
    // of a second, its duration (and so the rate) was rounded up to whole seconds.
    sampleInt: SAMPLE_MS,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: SITE },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: new URLSearchParams({ email: `reader${(sequence += 1)}@example.com`, website: '', page: `${SITE}/talks/` }).toString(),
        }),
      },
    ],
  });
}

/** Requests per second of one autocannon run: its requests over its whole duration. */
const rateOf = (result: autocannon.Result) => result.requests.total / result.duration;

/**
 * Starts one target, warms it, measures two runs of {@link REQUESTS}
 * requests each and its memory before, between and after them: growth in
 * the first run may be caches filling; growth in the second is per request.
 */
async function measure(name: string, args: string[]): Promise<Omit<ServeFigure, 'ratio' | 'p99Ratio' | 'cpuRatio' | 'mainCpuRatio'>> {
  // BENCH_PROFILE=DIR writes a V8 CPU profile of each target into DIR (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const loadAtStart = loadavg()[0]!;
  const child = fork(TARGET, args, { execArgv: ['--expose-gc', ...profile, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const started = await nextMessage(child);
    if (!('url' in started)) throw new Error('the target did not start');
    const memory = async () => {
      child.send('memory');
      const message = await nextMessage(child);
      if (!('memory' in message)) throw new Error('the target did not report its memory');
      return message.memory;
    };
    const cpu = async () => {
      child.send('cpu');
      const message = await nextMessage(child);
      if (!('cpu' in message)) throw new Error('the target did not report its CPU time');
      return message.cpu;
    };
    // The CPU a run costs the server, all threads: the machine is shared, so this holds better than the rate.
    const timed = async (amount: number) => {
      const start = await cpu();
      const result = await load(started.url, amount);
      const end = await cpu();
      const threads = threadDeltas(start.threads, end.threads);
      // The main thread's id is the process's (no per-thread counters off Linux: not a number).
      return { result, cpu: end.process - start.process, mainCpu: threads.get(String(child.pid))?.cpu ?? Number.NaN, threads };
    };
    await load(started.url, WARM_UP);
    const before = await memory();
    const { result: first, cpu: firstCpu, mainCpu: firstMain, threads: firstThreads } = await timed(REQUESTS);
    const after = await memory();
    const { result: second, cpu: secondCpu, mainCpu: secondMain, threads: secondThreads } = await timed(REQUESTS);
    const afterSecond = await memory();
    const mib = (bytes: number) => bytes / 1024 / 1024;
    process.stdout.write(`${name}: load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}\n`);
    return {
      name,
      requestsPerSecond: (rateOf(first) + rateOf(second)) / 2,
      p99Ms: Math.max(first.latency.p99, second.latency.p99),
      heapBeforeMb: mib(before.heapUsed),
      heapAfterMb: mib(after.heapUsed),
      heapAfterSecondMb: mib(afterSecond.heapUsed),
      rssAfterMb: mib(afterSecond.rss),
      cpuPerRequestUs: (firstCpu + secondCpu) / (first.requests.total + second.requests.total),
      mainCpuPerRequestUs: (firstMain + secondMain) / (first.requests.total + second.requests.total),
      threads: threadFigures(child.pid, [firstThreads, secondThreads], first.requests.total + second.requests.total),
      non2xx: first.non2xx + second.non2xx,
      errors: first.errors + first.timeouts + second.errors + second.timeouts,
    };
  } finally {
    if (child.connected) child.send('close');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

/** A copy of the sample site whose form posts to a service on loopback. */
async function serviceSite(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-bench-serve-'));
  const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
  delete config.subscribe;
  // The confirmation emails go out at SERVE_MAIL_RATE per second (send.rate), as a provider's account allows; the burst waits in the outbox.
  const send = { ...(config.send as object), rate: MAIL_RATE };
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, url: `${SITE}/`, serve: { url: 'http://127.0.0.1:8025/' }, send }, null, 2));
  await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
  return root;
}

/**
 * The serve benchmark: `POST /subscribe` with a new address each time,
 * through autocannon ({@link CONNECTIONS} connections), against a bare
 * `node:http` handler doing the same parsing in the same run. Each server
 * runs in a process of its own; its heap is read after a full garbage
 * collection before, between and after two runs of {@link REQUESTS}
 * requests (flat means no growth in the second run); requests per second
 * are the mean of the two runs, p99 the worse of the two; CPU per request
 * is the server process's (all threads) and its main thread's over both
 * runs. The machine's load
 * average is printed at each server's start and end.
 */
export async function benchServe(): Promise<ServeFigure[]> {
  const reference = await measure(`reference: bare node:http, 2 × ${REQUESTS} requests`, ['bare']);
  const figures: ServeFigure[] = [{ ...reference, ratio: 1, p99Ratio: 1, cpuRatio: 1, mainCpuRatio: 1 }];
  const smtp = await sinkServer();
  const site = await serviceSite();
  try {
    const service = await measure(`sahifa serve (SQLite outbox, emails at ${MAIL_RATE}/s), 2 × ${REQUESTS} requests`, ['service', site, smtp.url]);
    figures.push({
      ...service,
      ratio: service.requestsPerSecond / reference.requestsPerSecond,
      p99Ratio: service.p99Ms / reference.p99Ms,
      cpuRatio: service.cpuPerRequestUs / reference.cpuPerRequestUs,
      mainCpuRatio: service.mainCpuPerRequestUs / reference.mainCpuPerRequestUs,
    });
  } catch (error) {
    process.stdout.write(`sahifa serve not measured: ${(error as Error).message}\n`);
  } finally {
    await smtp.close();
    await rm(site, { recursive: true, force: true });
  }
  return figures;
}

/**
 * Prints the serve figures as an aligned table.
 *
 * @param figures The results, reference first.
 */
export function printServeTable(figures: readonly ServeFigure[]): void {
  const width = Math.max(...figures.map((figure) => figure.name.length));
  const columns = ['req/s', '× ref', 'p99 ms', '× ref', 'CPU µs/req', '× ref', 'main µs/req', '× ref', 'heap MiB before→1st→2nd', 'RSS MiB', 'non-2xx', 'errors'];
  process.stdout.write(`${'benchmark'.padEnd(width)}  ${columns.map((column) => column.padStart(column.length > 8 ? column.length : 8)).join('  ')}\n`);
  for (const figure of figures) {
    const cells = [
      figure.requestsPerSecond.toFixed(0),
      figure.ratio.toFixed(2),
      figure.p99Ms.toFixed(1),
      figure.p99Ratio.toFixed(2),
      figure.cpuPerRequestUs.toFixed(0),
      figure.cpuRatio.toFixed(2),
      figure.mainCpuPerRequestUs.toFixed(0),
      figure.mainCpuRatio.toFixed(2),
      `${figure.heapBeforeMb.toFixed(1)}→${figure.heapAfterMb.toFixed(1)}→${figure.heapAfterSecondMb.toFixed(1)}`,
      figure.rssAfterMb.toFixed(1),
      String(figure.non2xx),
      String(figure.errors),
    ];
    process.stdout.write(`${figure.name.padEnd(width)}  ${cells.map((cell, index) => cell.padStart(Math.max(columns[index]!.length, 8))).join('  ')}\n`);
  }
  for (const figure of figures) {
    const threads = figure.threads.map((thread) => `${thread.label} ${thread.us.toFixed(0)}`).join(', ');
    if (threads) process.stdout.write(`${figure.name}: CPU µs/req by thread: ${threads}\n`);
  }
}
