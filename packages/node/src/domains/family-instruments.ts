import type { Attributes, Histogram, ObservableResult } from '@opentelemetry/api';

/** One family's instruments on one provider, and the counts its observable counter reports. */
export class FamilyInstruments {
  readonly okCounts: number[];
  readonly errorCounts = new Map<Attributes, number>();

  constructor(
    readonly histogram: Histogram,
    operations: number,
  ) {
    this.okCounts = new Array<number>(operations).fill(0);
  }

  observe(result: ObservableResult, okAttributes: readonly Attributes[]): void {
    for (let i = 0; i < this.okCounts.length; i++) {
      const count = this.okCounts[i] as number;
      if (count > 0) result.observe(count, okAttributes[i]);
    }
    for (const [attributes, count] of this.errorCounts) result.observe(count, attributes);
  }
}
