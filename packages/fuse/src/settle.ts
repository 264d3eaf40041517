/**
 * Requests that do not depend on each other go out together; this waits for all of them
 * (so nothing is left running or unhandled), then throws the first failure in argument
 * order, the error the checks gave when they ran one after another; else all values.
 */
export async function firstFailure<T extends readonly unknown[]>(
  ...promises: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
