// A tool's failure: a code the UI translates and an English message that goes back to the model as
// the tool result (`{"error": "…"}`), so the model can correct itself or tell the user.
import type { ToolErrorCode } from '../../contract/index.ts';

export class ToolError extends Error {
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
  }
}
