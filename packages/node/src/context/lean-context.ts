import type { Context } from '@opentelemetry/api';

/** Marks a key deleted in a chain: `getValue` then answers undefined without asking further. */
const DELETED = Symbol('sightline.context.deleted');
/** The key of a chain's first node, which holds nothing. */
const NOTHING = Symbol('sightline.context.nothing');
/** Past this many nodes a chain is folded into one context of the kind it started from. */
const MAX_DEPTH = 16;

/**
 * A `Context` that stores one value per node over its parent: `setValue` makes one small object.
 * The API's `BaseContext` copies its whole `Map` and makes three closures on every `setValue`;
 * a server request sets two values (its span and its state), so this is most of what starting a
 * context costs. Lookups walk the chain (depth at most `MAX_DEPTH`), then ask the context the chain
 * was started over.
 */
export class LeanContext implements Context {
  private constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
    private readonly depth: number,
  ) {}

  /** A lean chain over `base`, holding what `base` holds. */
  static over(base: Context): Context {
    return base instanceof LeanContext ? base : new LeanContext(base, NOTHING, undefined, 0);
  }

  getValue(key: symbol): unknown {
    let context: Context = this;
    while (context instanceof LeanContext) {
      if (context.key === key) return context.value === DELETED ? undefined : context.value;
      context = context.parent;
    }
    return context.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.depth >= MAX_DEPTH
      ? this.fold().setValue(key, value)
      : new LeanContext(this, key, value, this.depth + 1);
  }

  deleteValue(key: symbol): Context {
    return this.depth >= MAX_DEPTH
      ? this.fold().deleteValue(key)
      : new LeanContext(this, key, DELETED, this.depth + 1);
  }

  /** The chain's values written into the context it was started over (the latest value wins). */
  private fold(): Context {
    const seen = new Set<symbol>();
    const entries: Array<[symbol, unknown]> = [];
    let context: Context = this;
    while (context instanceof LeanContext) {
      if (context.key !== NOTHING && !seen.has(context.key)) {
        seen.add(context.key);
        entries.push([context.key, context.value]);
      }
      context = context.parent;
    }
    let folded = context;
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [symbol, unknown];
      folded = value === DELETED ? folded.deleteValue(key) : folded.setValue(key, value);
    }
    return folded;
  }
}
