/** The version of `@sightline/arena`, reported as the instrumentation scope version of its tracer and meter. */
export const VERSION = '0.1.0';
