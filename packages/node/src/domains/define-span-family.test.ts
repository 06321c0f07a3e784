import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DiagLogLevel, diag, SpanKind, trace } from '@opentelemetry/api';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../test/support/otlp-receiver.js';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { withSpan } from '../spans/with-span.js';
import { defineSpanFamily } from './define-span-family.js';

const raft = defineSpanFamily(
  'raft',
  {
    leaderElection: {
      attributes: {
        term: { type: 'int', required: true },
        candidate: 'string',
        peers: 'string[]',
        quorum: 'double',
        won: 'bool',
        votes: 'int[]',
      },
    },
    appendEntries: {
      name: 'raft AppendEntries',
      kind: SpanKind.CLIENT,
      attributes: { system: { type: 'string', key: 'rpc.system.name' }, entryCount: 'int' },
      constants: { 'rpc.method': 'AppendEntries' },
    },
    commit: { kind: SpanKind.PRODUCER, attributes: { commitIndex: 'int' } },
    heartbeat: { kind: SpanKind.SERVER },
    apply: { kind: SpanKind.CONSUMER },
  },
  { metrics: false, typeChecks: true },
);

describe('defineSpanFamily, end to end', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  const warnings: string[] = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const record = (message: string) => warnings.push(message);
    const ignore = () => {};
    diag.disable(); // replaces init()'s stderr logger without the API's "overwritten" warning
    diag.setLogger(
      { error: record, warn: record, info: ignore, debug: ignore, verbose: ignore },
      DiagLogLevel.WARN,
    );
  });
  after(async () => {
    diag.disable();
    await sightline.shutdown();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.reset();
    warnings.length = 0;
  });

  async function spans(count: number): Promise<ReceivedSpan[]> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.spans.length >= count && receiver.spans, {
      what: `${count} spans`,
    });
  }
  const byName = (list: ReceivedSpan[], name: string): ReceivedSpan => {
    const found = list.find((s) => s.name === name);
    assert.ok(found, `span ${name} among ${list.map((s) => s.name).join(', ')}`);
    return found;
  };

  it('names the span prefix.snake_case, with the declared kind and namespaced attributes', async () => {
    const result = raft.leaderElection(
      { term: 7, candidate: 'node-2', peers: ['a', 'b'], quorum: 0.5, won: true, votes: [1, 2] },
      () => 'elected',
    );
    assert.equal(result, 'elected');
    raft.appendEntries({ system: 'grpc', entryCount: 3 }, () => {});
    const list = await spans(2);
    const election = byName(list, 'raft.leader_election');
    assert.equal(election.kind, 1); // INTERNAL
    assert.deepEqual(election.attributes, {
      'raft.term': 7,
      'raft.candidate': 'node-2',
      'raft.peers': ['a', 'b'],
      'raft.quorum': 0.5,
      'raft.won': true,
      'raft.votes': [1, 2],
    });
    const append = byName(list, 'raft AppendEntries');
    assert.equal(append.kind, 3); // CLIENT
    assert.deepEqual(append.attributes, {
      'rpc.method': 'AppendEntries',
      'rpc.system.name': 'grpc',
      'raft.entry_count': 3,
    });
  });

  it('supports all five span kinds', async () => {
    raft.commit({}, () => {});
    raft.heartbeat({}, () => {});
    raft.apply({}, () => {});
    const list = await spans(3);
    assert.equal(byName(list, 'raft.commit').kind, 4); // PRODUCER
    assert.equal(byName(list, 'raft.heartbeat').kind, 2); // SERVER
    assert.equal(byName(list, 'raft.apply').kind, 5); // CONSUMER
  });

  it('nests under the active span, sync and async, and its own children nest under it', async () => {
    const value = await withSpan('request', async () => {
      const sync = raft.commit({ commitIndex: 1 }, () => 20);
      return raft.leaderElection({ term: 1 }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return withSpan('vote', () => sync + 1);
      });
    });
    assert.equal(value, 21);
    const list = await spans(4);
    const request = byName(list, 'request');
    const election = byName(list, 'raft.leader_election');
    assert.equal(byName(list, 'raft.commit').parentSpanId, request.spanId);
    assert.equal(election.parentSpanId, request.spanId);
    assert.equal(byName(list, 'vote').parentSpanId, election.spanId);
    assert.equal(new Set(list.map((s) => s.traceId)).size, 1);
  });

  it('records a throw and a rejection as ERROR with an exception event, and rethrows the same error', async () => {
    const thrown = new RangeError('stale term');
    assert.throws(
      () =>
        raft.leaderElection({ term: 1 }, () => {
          throw thrown;
        }),
      (error) => error === thrown,
    );
    const rejected = new Error('no quorum');
    await assert.rejects(
      raft.commit({ commitIndex: 2 }, async () => {
        throw rejected;
      }),
      (error) => error === rejected,
    );
    const list = await spans(2);
    for (const [name, type, message] of [
      ['raft.leader_election', 'RangeError', 'stale term'],
      ['raft.commit', 'Error', 'no quorum'],
    ] as const) {
      const span = byName(list, name);
      assert.deepEqual(span.status, { code: 2, message });
      const event = span.events.find((e) => e.name === 'exception');
      assert.equal(event?.attributes['exception.type'], type);
      assert.equal(event?.attributes['exception.message'], message);
    }
  });

  it('takes links, an explicit parent, a new root and a per-call span name as options', async () => {
    const producer = trace.getTracer('t').startSpan('producer');
    producer.end();
    withSpan('outer', () => {
      raft.commit({ commitIndex: 3 }, { links: [{ context: producer.spanContext() }] }, () => {});
      raft.heartbeat(
        {},
        { parent: producer.spanContext(), name: 'heartbeat from leader' },
        () => {},
      );
      raft.apply({}, { root: true }, () => {});
    });
    const list = await spans(5);
    const commit = byName(list, 'raft.commit');
    assert.equal(commit.parentSpanId, byName(list, 'outer').spanId);
    assert.equal(commit.links[0]?.spanId, producer.spanContext().spanId);
    assert.equal(commit.attributes['raft.commit_index'], 3);
    const heartbeat = byName(list, 'heartbeat from leader');
    assert.equal(heartbeat.parentSpanId, producer.spanContext().spanId);
    assert.equal(heartbeat.kind, 2);
    assert.equal(byName(list, 'raft.apply').parentSpanId, '');
  });

  it('decorates methods: the span is the operation, its attributes come from this and the arguments', async () => {
    class RaftNode {
      constructor(readonly id: string) {}

      @raft.leaderElection.traced((self: RaftNode, [term, peers]: [number, string[]]) => ({
        term,
        candidate: self.id,
        peers,
      }))
      async elect(term: number, peers: string[]): Promise<boolean> {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (peers.length === 0) throw new Error('alone');
        return term > 0;
      }

      @raft.commit.traced((_self: RaftNode, [commitIndex]: [number]) => ({ commitIndex }))
      commit(commitIndex: number): number {
        return commitIndex + 1;
      }
    }
    const node = new RaftNode('node-3');
    assert.equal(await node.elect(4, ['a']), true);
    await assert.rejects(node.elect(5, []), /alone/);
    assert.equal(node.commit(9), 10);
    const list = await spans(3);
    const elections = list.filter((s) => s.name === 'raft.leader_election');
    assert.equal(elections.length, 2);
    const ok = elections.find((s) => s.attributes['raft.term'] === 4);
    assert.deepEqual(ok?.attributes, {
      'raft.term': 4,
      'raft.candidate': 'node-3',
      'raft.peers': ['a'],
    });
    assert.equal(ok?.status.code, 0);
    const failed = elections.find((s) => s.attributes['raft.term'] === 5);
    assert.equal(failed?.status.code, 2);
    const commit = byName(list, 'raft.commit');
    assert.equal(commit.kind, 4);
    assert.deepEqual(commit.attributes, { 'raft.commit_index': 9 });
  });

  it('a decorator whose attributes function throws still runs the method, without attributes', async () => {
    class Node {
      @raft.commit.traced((_self: Node, _args: []) => {
        throw new Error('mapper bug');
      })
      run(): string {
        return 'ran';
      }
    }
    assert.equal(new Node().run(), 'ran');
    const list = await spans(1);
    assert.deepEqual(byName(list, 'raft.commit').attributes, {});
    assert.equal(warnings.filter((w) => w.includes('raft.commit.traced')).length, 1);
  });

  it('setAttributes adds typed attributes learned during the operation under the same keys', async () => {
    raft.leaderElection({ term: 8 }, (span) => {
      raft.leaderElection.setAttributes(span, { won: false, votes: [0, 1] });
    });
    const list = await spans(1);
    assert.deepEqual(byName(list, 'raft.leader_election').attributes, {
      'raft.term': 8,
      'raft.won': false,
      'raft.votes': [0, 1],
    });
  });

  it('exposes the resolved span name, kind and attribute keys of each operation', () => {
    assert.equal(raft.leaderElection.spanName, 'raft.leader_election');
    assert.equal(raft.leaderElection.operation, 'leader_election');
    assert.equal(raft.appendEntries.kind, SpanKind.CLIENT);
    assert.deepEqual(raft.appendEntries.attributes.system, {
      key: 'rpc.system.name',
      type: 'string',
      required: false,
    });
    assert.deepEqual(raft.leaderElection.attributes.term, {
      key: 'raft.term',
      type: 'int',
      required: true,
    });
  });

  it('misuse never throws: a missing callback is reported once and nothing runs', () => {
    const call = raft.commit as unknown as (attributes: object) => unknown;
    assert.equal(call({ commitIndex: 1 }), undefined);
    assert.equal(call({ commitIndex: 1 }), undefined);
    assert.equal(warnings.filter((w) => w.includes('raft.commit() was given undefined')).length, 1);
  });
});
