/** The building blocks of the contract: what a method and a stream declare. */
import { z } from 'zod';

export interface MethodDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'method';
  readonly args: A;
  readonly result: R;
}

export interface StreamDefinition<A extends z.ZodType = z.ZodType, I extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly args: A;
  readonly item: I;
  /** How many items may be in flight before the producer waits for the consumer's acks. */
  readonly window: number;
}

export const method = <A extends z.ZodType, R extends z.ZodType>(args: A, result: R): MethodDefinition<A, R> => ({
  kind: 'method',
  args,
  result,
});
export const stream = <A extends z.ZodType, I extends z.ZodType>(args: A, item: I, window: number): StreamDefinition<A, I> => ({
  kind: 'stream',
  args,
  item,
  window,
});

export const NoArgs = z.object({}).strict();
export const Nothing = z.null();
