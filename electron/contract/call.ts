// The pieces every domain's list of calls is written with.
import { z } from 'zod';

/** A call: what main accepts (validated before any service runs) and what it answers. */
export const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** No input. */
export const Empty = z.strictObject({});
/** An answer that says only "done". */
export const Ok = z.object({ ok: z.literal(true) });
