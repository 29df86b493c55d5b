// Summarises one profiled Kaiwa run (bench/run.ts --profile): the renderer main thread's time by
// trace event (script, style, layout, paint, GC…) and the JS sampling profile by source module
// (through the bench build's source map) and by function.

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  chunks: number;
  deltas: number;
  /** Self time on the renderer main thread by trace event name, ms. */
  traceSelfMs: Record<string, number>;
  /** The same, grouped. */
  traceGroupsMs: Record<string, number>;
  /** JS self time by source module (node_modules package or app file), ms. */
  jsBySourceMs: Record<string, number>;
  /** Top functions by JS self time. */
  jsTopFunctions: { fn: string; source: string; ms: number }[];
  headline: string;
}

const GROUPS: [RegExp, string][] = [
  [/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation)$/, 'style'],
  [/^(Layout|InvalidateLayout|LayoutShift|IntersectionObserverController::computeIntersections)$/, 'layout'],
  [/^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintImage|Decode Image|RasterTask)$/, 'paint & commit'],
  [/GC|Gc|GarbageCollect/, 'gc'],
  [/^(FunctionCall|EvaluateScript|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.|V8\.|FireIdleCallback|XHR|ParseHTML|CompileScript|v8\.compile|ResourceReceivedData|HandlePostMessage)/, 'script'],
];

function groupOf(name: string): string {
  for (const [re, g] of GROUPS) if (re.test(name)) return g;
  return 'other';
}

/** Self time (ms) per event name on the busiest CrRendererMain thread. */
function traceSelf(events: TraceEvent[]): Record<string, number> {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    if (!mains.has(k)) continue;
    let list = byThread.get(k);
    if (!list) byThread.set(k, (list = []));
    list.push(e);
  }
  const list = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self: Record<string, number> = {};
  const stack: { end: number; name: string; child: number; dur: number }[] = [];
  const pop = () => {
    const top = stack.pop()!;
    self[top.name] = (self[top.name] ?? 0) + (top.dur - top.child) / 1000;
    if (stack.length) stack[stack.length - 1]!.child += top.dur;
  };
  for (const e of list) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) pop();
    // RunTask is the scheduler's wrapper around every task: what it does not attribute is "other".
    stack.push({ end: e.ts + e.dur!, name: e.name === 'RunTask' ? '(task, unattributed)' : e.name, child: 0, dur: e.dur! });
  }
  while (stack.length) pop();
  return self;
}

/** Where a bundle position came from: an npm package or an app file. */
export function sourceLabel(path: string | null): string {
  if (!path) return '(unmapped)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  const app = /(renderer\/src\/.*|bench\/page\/.*|electron\/.*)$/.exec(path);
  return app ? app[1]! : path;
}

export function profileSummary(
  profile: CpuProfile,
  trace: unknown[],
  deltas: number,
  chunks: number,
  resolveSource: (url: string, line: number, column: number) => string | null = () => null,
): ProfileSummary {
  const traceSelfMs = traceSelf(trace as TraceEvent[]);
  const traceGroupsMs: Record<string, number> = {};
  for (const [name, ms] of Object.entries(traceSelfMs)) traceGroupsMs[groupOf(name)] = (traceGroupsMs[groupOf(name)] ?? 0) + ms;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltasUs = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltasUs[i + 1] ?? deltasUs[i] ?? 0));
  const bySource: Record<string, number> = {};
  const byFn = new Map<string, { fn: string; source: string; ms: number }>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const cf = n.callFrame;
    const special = cf.functionName.startsWith('(') ? cf.functionName : null;
    const source = special ?? (cf.url ? sourceLabel(resolveSource(cf.url, cf.lineNumber, cf.columnNumber)) : '(native)');
    bySource[source] = (bySource[source] ?? 0) + us / 1000;
    const key = `${cf.functionName || '(anonymous)'} ${source}`;
    const f = byFn.get(key) ?? { fn: cf.functionName || '(anonymous)', source, ms: 0 };
    f.ms += us / 1000;
    byFn.set(key, f);
  }
  delete bySource['(idle)'];
  delete bySource['(program)'];
  const jsTopFunctions = [...byFn.values()].filter((f) => f.fn !== '(idle)' && f.fn !== '(program)').sort((a, b) => b.ms - a.ms).slice(0, 25);
  const round = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  const total = Object.values(traceGroupsMs).reduce((a, b) => a + b, 0);
  const g = (k: string) => traceGroupsMs[k] ?? 0;
  const headline =
    `main thread busy ${total.toFixed(0)} ms over ${deltas} deltas (${(total / deltas).toFixed(2)} ms per delta, ${((total / chunks) * 1000).toFixed(0)} µs per chunk): ` +
    `script ${g('script').toFixed(0)}, style ${g('style').toFixed(0)}, layout ${g('layout').toFixed(0)}, paint & commit ${g('paint & commit').toFixed(0)}, GC ${g('gc').toFixed(0)}, other ${g('other').toFixed(0)} ms`;
  return { chunks, deltas, traceSelfMs: round(traceSelfMs), traceGroupsMs: round(traceGroupsMs), jsBySourceMs: round(bySource), jsTopFunctions: jsTopFunctions.map((f) => ({ ...f, ms: Math.round(f.ms * 10) / 10 })), headline };
}
