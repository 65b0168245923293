/**
 * How a method of the contract is declared: its input as a zod schema (the router validates every call
 * against it before a handler runs) and its output as a type. Input types are inferred from the schema,
 * so the check and the type cannot disagree.
 */
import { z } from 'zod';

export interface MethodSpec<In extends z.ZodType = z.ZodType, Out = unknown> {
  readonly input: In;
  /** Never set: carries the output type. */
  readonly output?: Out;
}

/** `method<Output>()(inputSchema)`: the output type is written, the input type comes from the schema. */
export function method<Out>() {
  return <In extends z.ZodType>(input: In): MethodSpec<In, Out> => ({ input });
}

export type SpecMap = Record<string, MethodSpec>;

/** `{ in, out }` per method: `in` is what a caller sends, `parsed` what a handler receives. */
export type MethodTypes<S extends SpecMap> = {
  [K in keyof S]: S[K] extends MethodSpec<infer I, infer O> ? { in: z.input<I>; parsed: z.output<I>; out: O } : never;
};

/** Bounds shared by many inputs; the numbers keep hostile input cheap to refuse, and are far above real use. */
export const LIMITS = {
  id: 128,
  name: 256,
  text: 4096,
  path: 4096,
  password: 4096,
  treeDepth: 8,
} as const;

export const emptyInput = z.strictObject({});
export const idSchema = z.string().min(1).max(LIMITS.id);
/** A folder or file on the machine running the core: absolute, so nothing depends on the core's working folder. */
export const absolutePathSchema = z
  .string()
  .max(LIMITS.path)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, { error: () => 'expected an absolute path, such as /home/me/app/migrations' });

/** One line naming the first wrong fields and what was expected, for a BAD_INPUT answer. */
export function describeIssues(error: z.ZodError, what: string): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'input';
    return `${field}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${what} is not valid. ${parts.join('; ')}${more}.`;
}
