/** The version of `@sightline/node`, reported as the instrumentation scope version of its own meter. */
export const VERSION = '0.1.0';
