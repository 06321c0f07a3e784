/**
 * What the JS SDK cannot emit: summaries, delta exponential histograms with negative buckets, exemplars and
 * int64 values beyond 2^53, sent by hand in protobuf and in OTLP/JSON, come back with every field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  post,
  randomSpanId,
  randomTraceId,
  SUMMARY_AND_EXP_JSON,
  SUMMARY_AND_EXP_PROTOBUF,
} from './support/payloads.js';
import { type Fixture, startFixture } from './support/viewer-fixture.js';

type Point = Record<string, unknown>;

describe('hand-built metric payloads', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture({ grpcPort: false });
  });
  after(async () => {
    await f.close();
  });

  for (const encoding of ['protobuf', 'json'] as const) {
    it(`keeps summary, exponential histogram, exemplars and big ints intact (${encoding})`, async () => {
      const service = `hand-${encoding}`;
      const traceId = randomTraceId();
      const spanId = randomSpanId();
      const res =
        encoding === 'protobuf'
          ? await post(
              `${f.viewer.httpUrl}/v1/metrics`,
              SUMMARY_AND_EXP_PROTOBUF(service, traceId, spanId),
            )
          : await post(
              `${f.viewer.httpUrl}/v1/metrics`,
              JSON.stringify(SUMMARY_AND_EXP_JSON(service, traceId, spanId)),
              { 'content-type': 'application/json' },
            );
      assert.equal(res.status, 200, res.body.toString());
      const get = async (name: string) =>
        (await f.api<{ points: Point[] }>(`/api/metrics/points?name=${name}&service=${service}`))
          .points;

      const [summary] = await get('rpc.duration.summary');
      assert.equal(summary?.type, 'summary');
      assert.equal(summary?.unit, 's');
      assert.equal(summary?.count, 10);
      assert.equal(summary?.sum, 4.5);
      assert.equal(summary?.startTimeUnixNano, '1000');
      assert.equal(summary?.timeUnixNano, '2000');
      assert.deepEqual(summary?.quantileValues, [
        { quantile: 0.5, value: 0.3 },
        { quantile: 0.99, value: 1.2 },
      ]);
      assert.deepEqual(summary?.attributes, { method: 'get' });
      assert.deepEqual(summary?.scope, { name: 'hand-metrics', version: '9' });

      const [exp] = await get('temp.delta.exp');
      assert.equal(exp?.type, 'exponentialHistogram');
      assert.equal(exp?.temporality, 1);
      assert.equal(exp?.count, 7);
      assert.equal(exp?.sum, -3.5);
      assert.equal(exp?.scale, -1);
      assert.equal(exp?.zeroCount, 1);
      assert.equal(exp?.zeroThreshold, 0.001);
      assert.deepEqual(exp?.positive, { offset: 2, bucketCounts: [1, 2] });
      assert.deepEqual(exp?.negative, { offset: -3, bucketCounts: [3] });
      assert.equal(exp?.min, -8);
      assert.equal(exp?.max, 40);
      assert.deepEqual(exp?.exemplars, [
        {
          timeUnixNano: '1500',
          value: 12.5,
          traceId,
          spanId,
          filteredAttributes: { user: 'u1' },
        },
      ]);

      const [big] = await get('big.int.gauge');
      assert.equal(big?.type, 'gauge');
      assert.equal(big?.isInt, true);
      assert.deepEqual((big?.exemplars as Point[])[0]?.value, 4);
      // the exact int64 is kept in the store (value_int); the API's JSON number is the nearest double
      const exact = await f.viewer.store.query(
        "SELECT value_int FROM metric_points WHERE name = 'big.int.gauge' AND service = $1",
        [service],
      );
      assert.equal(exact[0]?.value_int, -9007199254740993n);

      const series = await f.api<{ series: { points: Point[] }[] }>(
        `/api/metrics/series?name=rpc.duration.summary&service=${service}`,
      );
      assert.deepEqual(series.series[0]?.points[0]?.quantiles, [
        { quantile: 0.5, value: 0.3 },
        { quantile: 0.99, value: 1.2 },
      ]);
      const expSeries = await f.api<{ series: { points: Point[] }[] }>(
        `/api/metrics/series?name=temp.delta.exp&service=${service}`,
      );
      assert.equal(expSeries.series[0]?.points[0]?.count, 7);
      assert.equal(typeof expSeries.series[0]?.points[0]?.p50, 'number');
    });
  }
});
