import { enableContrib } from '../contrib-instrumentation.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';
import { createPinoInstrumentation } from './pino-instrumentation.js';
import { createWinstonInstrumentation } from './winston-instrumentation.js';

/** `pino`: trace ids on every record made in a span, and the OTLP log bridge (`logs.instrumentation.*`). */
export const createPinoEntry: InstrumentationFactory = (context) =>
  enableContrib(
    createPinoInstrumentation({ ...context.config.logs.instrumentation, enabled: false }),
    context,
  );

/** `winston`: the same as `pino`, through the winston contrib and its transport. */
export const createWinstonEntry: InstrumentationFactory = (context) =>
  enableContrib(
    createWinstonInstrumentation({ ...context.config.logs.instrumentation, enabled: false }),
    context,
  );
