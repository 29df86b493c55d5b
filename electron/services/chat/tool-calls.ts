// Streaming tool-call deltas, accumulated by `index`: id and name come from the first non-empty
// value (later deltas often repeat `"id": ""`), arguments are concatenated.
import type { ToolCall } from '../../contract/index.ts';

export interface ToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export class ToolCallAccumulator {
  private calls = new Map<number, ToolCall>();

  /** Returns the normalised fragment to forward to the renderer. */
  push(d: ToolCallDelta): { index: number; id?: string; name?: string; arguments?: string } {
    const index = typeof d.index === 'number' ? d.index : 0;
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

  get size(): number {
    return this.calls.size;
  }

  list(): ToolCall[] {
    return [...this.calls.values()].sort((a, b) => a.index - b.index);
  }
}
