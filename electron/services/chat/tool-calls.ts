// Streaming tool-call deltas, accumulated by `index`: id and name come from the first non-empty
// value (later deltas often repeat `"id": ""`), arguments are concatenated. Some gateways leave out
// `index`: then a new non-empty id starts a new call, a fragment without id continues the call
// before it, and several calls in one delta are told apart by their place in it.
import type { ToolCall } from '../../contract/index.ts';

export interface ToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export class ToolCallAccumulator {
  private calls = new Map<number, ToolCall>();
  private last = 0;

  /** The `tool_calls` array of one delta; returns the fragments to forward to the renderer. */
  pushAll(deltas: ToolCallDelta[]): ReturnType<ToolCallAccumulator['push']>[] {
    let prev: number | null = null;
    return deltas.map((d) => {
      const frag = this.push(d, prev === null ? undefined : prev + 1);
      prev = frag.index;
      return frag;
    });
  }

  private indexOf(d: ToolCallDelta, next: number | undefined): number {
    if (typeof d.index === 'number') return d.index;
    if (d.id) {
      for (const c of this.calls.values()) if (c.id === d.id) return c.index;
      const cur = this.calls.get(this.last);
      if (cur && !cur.id && next === undefined) return this.last;
      return next ?? (this.calls.size ? Math.max(...this.calls.keys()) + 1 : 0);
    }
    return next ?? this.last;
  }

  /** One delta; `next` is the index a call without `index` takes when it follows another in the same delta. */
  push(d: ToolCallDelta, next?: number): { index: number; id?: string; name?: string; arguments?: string } {
    const index = this.indexOf(d, next);
    this.last = index;
    let c = this.calls.get(index);
    if (!c) this.calls.set(index, (c = { index, id: '', name: '', arguments: '' }));
    const frag: { index: number; id?: string; name?: string; arguments?: string } = { index };
    if (d.id && !c.id) {
      c.id = d.id;
      frag.id = d.id;
    }
    const name = d.function?.name;
    if (name && !c.name) {
      c.name = name;
      frag.name = name;
    }
    const args = d.function?.arguments;
    if (args) {
      c.arguments += args;
      frag.arguments = args;
    }
    return frag;
  }

  /** The call at `index` as accumulated so far (the object itself, appended to by later pushes). */
  get(index: number): ToolCall | undefined {
    return this.calls.get(index);
  }

  get size(): number {
    return this.calls.size;
  }

  list(): ToolCall[] {
    return [...this.calls.values()].sort((a, b) => a.index - b.index);
  }
}
