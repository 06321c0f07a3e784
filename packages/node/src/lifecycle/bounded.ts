import { diag } from '@opentelemetry/api';

/**
 * Runs `work` for at most `timeoutMillis`; never rejects. Failures and the timeout are reported
 * through the diagnostic logger, since a flush at exit must not crash or hang the app.
 */
export async function bounded(
  what: string,
  timeoutMillis: number,
  work: () => Promise<unknown>,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([work().then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') {
      diag.warn(`sightline: ${what} did not finish within ${timeoutMillis} ms`);
      return false;
    }
    return true;
  } catch (error) {
    diag.error(`sightline: ${what} failed: ${(error as Error)?.message ?? String(error)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
