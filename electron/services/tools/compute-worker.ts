// The worker side of compute.ts: runs one task on its own thread and posts the outcome back. It is
// started per task and terminated at its deadline, so whatever a task does (a hostile expression,
// a page built to make the text extraction slow) can never hold up the main process.
import { parentPort, workerData } from 'node:worker_threads';
import { calculate } from './calculator.ts';
import type { ComputeReply, ComputeTask } from './compute.ts';
import { ToolError } from './errors.ts';
import { htmlToText } from './html-text.ts';

function run(task: ComputeTask): unknown {
  switch (task.kind) {
    case 'calculate':
      return calculate(task.expression, task.limits);
    case 'html-text':
      return htmlToText(task.html, task.maxChars);
  }
}

function reply(): ComputeReply {
  try {
    return { ok: true, value: run(workerData as ComputeTask) };
  } catch (err) {
    if (err instanceof ToolError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.postMessage(reply());
