import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomInt, seededRandom } from '../test/support/seeded-random.js';
import { Arena } from './arena.js';
import { ArenaError, ArenaFullError } from './errors.js';

const off = { telemetry: false } as const;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ArenaError, `expected an ArenaError, got ${error}`);
    return error.code;
  }
  assert.fail('expected a throw');
}

describe('bump allocation', () => {
  it('returns offsets at the default 8-byte alignment and counts what it hands out', () => {
    const arena = new Arena({ capacity: 64, ...off });
    assert.equal(arena.alloc(3), 0);
    assert.equal(arena.alloc(8), 8);
    assert.equal(arena.tryAlloc(1), 16);
    const s = arena.stats();
    assert.equal(s.used, 17);
    assert.equal(s.allocations, 3);
    assert.equal(s.bytesAllocated, 12);
    assert.equal(s.live, 12);
    assert.equal(s.capacity, 64);
  });

  it('aligns to any power of two asked for', () => {
    const arena = new Arena({ capacity: 4096, ...off });
    arena.alloc(1);
    assert.equal(arena.allocAligned(10, 256), 256);
    assert.equal(arena.tryAllocAligned(1, 1), 266);
    assert.equal(arena.allocAligned(4, 4), 268);
  });

  it('has one full contract: tryAlloc returns -1, alloc throws ArenaFullError; both count a failure', () => {
    const arena = new Arena({ name: 'tiny', capacity: 16, ...off });
    arena.alloc(16);
    assert.equal(arena.tryAlloc(1), -1);
    assert.equal(arena.tryAllocAligned(1, 64), -1);
    assert.throws(
      () => arena.alloc(1),
      (error: unknown) =>
        error instanceof ArenaFullError &&
        error.code === 'SIGHTLINE_ERR_ARENA_FULL' &&
        error.size === 1 &&
        /arena "tiny" cannot allocate 1 bytes: fixed capacity 16 bytes, 16 used/.test(
          error.message,
        ),
    );
    assert.equal(arena.stats().failures, 3);
    assert.equal(arena.stats().allocations, 1);
  });

  it('rejects bad sizes and alignments with SIGHTLINE_ERR_* codes, from tryAlloc too', () => {
    const arena = new Arena(off);
    for (const size of [
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '8' as unknown as number,
    ]) {
      assert.equal(
        code(() => arena.tryAlloc(size)),
        'SIGHTLINE_ERR_ARENA_INVALID_SIZE',
        `size ${size}`,
      );
      assert.equal(
        code(() => arena.alloc(size)),
        'SIGHTLINE_ERR_ARENA_INVALID_SIZE',
        `size ${size}`,
      );
    }
    for (const alignment of [0, 3, 12, -8, 1.5, 131072]) {
      assert.equal(
        code(() => arena.allocAligned(8, alignment)),
        'SIGHTLINE_ERR_ARENA_INVALID_ALIGNMENT',
        `alignment ${alignment}`,
      );
    }
    assert.equal(arena.stats().allocations, 0);
    assert.equal(arena.stats().failures, 0);
  });

  it('rejects invalid options naming the option and the value', () => {
    const cases: [unknown, RegExp][] = [
      [{ capacity: 0 }, /option "capacity" has invalid value 0/],
      [{ alignment: 12 }, /option "alignment" has invalid value 12: expected a power of two/],
      [{ growable: { chunkSize: 1000 } }, /option "growable.chunkSize" has invalid value 1000/],
      [{ telemetry: { samplingRate: 1.5 } }, /"telemetry.samplingRate" has invalid value 1.5/],
      [{ telemetry: { spanz: true } }, /"telemetry.spanz"/],
      [{ name: '' }, /option "name"/],
      [{ buffer: new Uint8Array(8) }, /option "buffer"/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new Arena(options as never),
        (error: unknown) =>
          error instanceof ArenaError &&
          error.code === 'SIGHTLINE_ERR_ARENA_INVALID_OPTION' &&
          message.test(error.message),
        String(message),
      );
    }
    const arena = new Arena(off);
    assert.equal(
      code(() => arena.setSamplingRate(-0.1)),
      'SIGHTLINE_ERR_ARENA_INVALID_OPTION',
    );
  });

  it('allocates from a given ArrayBuffer or SharedArrayBuffer', () => {
    const buffer = new SharedArrayBuffer(128);
    const arena = new Arena({ buffer, ...off });
    const at = arena.alloc(4);
    arena.typed(Int32Array, at, 1)[0] = 42;
    assert.equal(Atomics.load(new Int32Array(buffer), at / 4), 42);
    assert.ok(
      new Arena({ shared: true, capacity: 64, ...off }).buffer instanceof SharedArrayBuffer,
    );
  });
});

describe('alignment and no-overlap (property-based over random operation sequences)', () => {
  for (const growable of [false, true]) {
    it(`${growable ? 'growable' : 'fixed'}: every live block is aligned, in bounds and disjoint; accounting matches`, () => {
      for (let seed = 1; seed <= 60; seed++) {
        const random = seededRandom(seed);
        const arena = growable
          ? new Arena({ growable: { chunkSize: 1024, maxChunks: 6 }, ...off })
          : new Arena({ capacity: randomInt(random, 64, 5000), ...off });
        // Model: a stack of live blocks, with checkpoint marks into it.
        let live: { off: number; size: number; align: number }[] = [];
        const marks: { cp: ReturnType<Arena['checkpoint']>; depth: number }[] = [];
        let failures = 0;
        let allocations = 0;
        let bytes = 0;
        for (let step = 0; step < 300; step++) {
          const op = random();
          if (op < 0.7) {
            const size = randomInt(random, 1, random() < 0.1 ? 900 : 64);
            const align = random() < 0.5 ? arena.alignment : 2 ** randomInt(random, 0, 9);
            const at = arena.tryAllocAligned(size, align);
            if (at === -1) {
              failures++;
              continue;
            }
            allocations++;
            bytes += size;
            live.push({ off: at, size, align });
          } else if (op < 0.8) {
            marks.push({ cp: arena.checkpoint(), depth: live.length });
          } else if (op < 0.92 && marks.length > 0) {
            const index = randomInt(random, 0, marks.length - 1);
            const mark = marks[index];
            assert.ok(mark);
            arena.rollback(mark.cp);
            live = live.slice(0, mark.depth);
            marks.length = index; // it and every later checkpoint are closed
          } else if (op > 0.98) {
            arena.reset();
            live = [];
            marks.length = 0;
          }
          const where = `seed ${seed} step ${step}`;
          const sorted = [...live].sort((a, b) => a.off - b.off);
          for (let i = 0; i < sorted.length; i++) {
            const block = sorted[i];
            assert.ok(block);
            assert.equal(
              block.off % block.align,
              0,
              `${where}: offset ${block.off} not ${block.align}-aligned`,
            );
            const { byteOffset } = arena.locate(block.off, block.size); // in bounds of one chunk
            assert.equal(byteOffset % block.align, 0, `${where}: chunk offset not aligned`);
            const next = sorted[i + 1];
            if (next) assert.ok(block.off + block.size <= next.off, `${where}: blocks overlap`);
          }
          const s = arena.stats();
          const liveBytes = live.reduce((n, b) => n + b.size, 0);
          assert.equal(s.live, liveBytes, `${where}: live bytes`);
          assert.equal(s.failures, failures, `${where}: failures`);
          assert.equal(s.allocations, allocations, `${where}: allocations`);
          assert.equal(s.bytesAllocated, bytes, `${where}: bytes allocated`);
          assert.ok(s.used <= (growable ? s.capacity : s.capacity), `${where}: used ≤ capacity`);
          const top = sorted.at(-1);
          if (top)
            assert.ok(
              s.used >= top.off + top.size - (growable ? 0 : 0),
              `${where}: used covers live`,
            );
          assert.ok(s.highWaterMark >= s.used, `${where}: high-water mark`);
          const expected = s.used > 0 ? (s.used - liveBytes) / s.used : 0;
          assert.ok(Math.abs(s.fragmentation - expected) < 1e-12, `${where}: fragmentation`);
        }
      }
    });
  }

  it('writes through views of different blocks never clobber each other', () => {
    const random = seededRandom(7);
    const arena = new Arena({ capacity: 1 << 16, ...off });
    const blocks: { off: number; size: number; fill: number }[] = [];
    for (let i = 0; i < 500; i++) {
      const size = randomInt(random, 1, 100);
      const at = arena.tryAlloc(size);
      if (at === -1) break;
      const fill = i & 0xff;
      arena.bytes(at, size).fill(fill);
      blocks.push({ off: at, size, fill });
    }
    for (const b of blocks) assert.ok(arena.bytes(b.off, b.size).every((v) => v === b.fill));
  });
});

describe('capacity and fragmentation accounting', () => {
  it('counts alignment padding as fragmentation: (used - live) / used', () => {
    const arena = new Arena({ capacity: 1024, ...off });
    arena.alloc(1); // 0..1
    arena.allocAligned(1, 64); // pads 1..64
    const s = arena.stats();
    assert.equal(s.used, 65);
    assert.equal(s.live, 2);
    assert.equal(s.fragmentation, 63 / 65);
  });

  it('keeps the high-water mark across reset and rollback, and counts resets', () => {
    const arena = new Arena({ capacity: 1024, ...off });
    arena.alloc(500);
    arena.reset();
    arena.alloc(100);
    const cp = arena.checkpoint();
    arena.alloc(600);
    arena.rollback(cp);
    const s = arena.stats();
    assert.equal(s.used, 104 - 4); // 100 bytes at offset 0
    assert.equal(s.highWaterMark, 704);
    assert.equal(s.resets, 1);
    assert.equal(s.rollbacks, 1);
    assert.equal(s.bytesAllocated, 1200);
    assert.equal(s.live, 100);
  });
});

describe('checkpoints', () => {
  it('rolls back everything allocated since, and closes the checkpoint and later ones', () => {
    const arena = new Arena({ capacity: 1024, ...off });
    arena.alloc(10);
    const outer = arena.checkpoint();
    arena.alloc(20);
    const inner = arena.checkpoint();
    arena.alloc(30);
    arena.rollback(outer);
    assert.equal(arena.used, 10);
    assert.equal(arena.alloc(8), 16);
    assert.ok(!outer.open && !inner.open);
    assert.equal(
      code(() => arena.rollback(inner)),
      'SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT',
    );
    assert.equal(
      code(() => arena.rollback(outer)),
      'SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT',
    );
  });

  it('rolls back at the end of a `using` block unless committed', () => {
    const arena = new Arena({ capacity: 1024, ...off });
    for (let message = 0; message < 100; message++) {
      using _ = arena.checkpoint();
      arena.alloc(100);
      arena.alloc(200);
    }
    assert.equal(arena.used, 0);
    assert.equal(arena.stats().allocations, 200);
    {
      using cp = arena.checkpoint();
      arena.alloc(64);
      cp.commit();
    }
    assert.equal(arena.used, 64);
    assert.equal(arena.stats().live, 64);
  });

  it('refuses a checkpoint of another arena, and one closed by reset', () => {
    const a = new Arena(off);
    const b = new Arena(off);
    const cp = b.checkpoint();
    assert.equal(
      code(() => a.rollback(cp)),
      'SIGHTLINE_ERR_ARENA_FOREIGN_CHECKPOINT',
    );
    assert.equal(
      code(() => a.rollback({} as never)),
      'SIGHTLINE_ERR_ARENA_FOREIGN_CHECKPOINT',
    );
    b.reset();
    assert.equal(
      code(() => b.rollback(cp)),
      'SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT',
    );
    cp[Symbol.dispose](); // disposing a closed checkpoint does nothing
  });

  it('rolls back across chunks of a growable arena', () => {
    const arena = new Arena({ growable: { chunkSize: 64 }, ...off });
    arena.alloc(40);
    const cp = arena.checkpoint();
    arena.alloc(40); // next chunk
    arena.alloc(40); // and the next
    assert.equal(arena.chunks.length, 3);
    arena.rollback(cp);
    assert.equal(arena.used, 40);
    assert.equal(arena.alloc(16), 40); // back in the first chunk
    assert.equal(arena.alloc(40), 64); // reuses the second chunk
    assert.equal(arena.chunks.length, 3);
  });

  it('limits open checkpoints, so forgotten ones cannot grow without bound', () => {
    const arena = new Arena(off);
    const first = arena.checkpoint();
    for (let i = 1; i < 65536; i++) arena.checkpoint();
    assert.equal(
      code(() => arena.checkpoint()),
      'SIGHTLINE_ERR_ARENA_CHECKPOINT_LIMIT',
    );
    arena.rollback(first);
    arena.checkpoint();
  });
});

describe('growable arenas', () => {
  it('adds chunks as needed, never splitting an allocation, and keeps them after reset', () => {
    const arena = new Arena({ name: 'grow', growable: { chunkSize: 256, maxChunks: 3 }, ...off });
    const offsets = [arena.alloc(200), arena.alloc(200), arena.alloc(50), arena.alloc(100)];
    assert.deepEqual(offsets, [0, 256, 456, 512]);
    assert.equal(arena.capacity, 768);
    assert.equal(arena.stats().chunks, 3);
    // Abandoned chunk tails count as used but not live.
    assert.equal(arena.used, 612);
    assert.equal(arena.stats().live, 550);
    assert.equal(arena.tryAlloc(200), -1); // maxChunks reached
    assert.throws(() => arena.alloc(257), /larger than the chunk size 256/);
    arena.reset();
    assert.equal(arena.capacity, 768);
    assert.equal(arena.alloc(8), 0);
  });

  it('gives views into the right chunk', () => {
    const arena = new Arena({ growable: { chunkSize: 64 }, ...off });
    const a = arena.alloc(60);
    const b = arena.alloc(60);
    arena.bytes(a, 60).fill(1);
    arena.bytes(b, 60).fill(2);
    assert.equal(new Uint8Array(arena.chunks[0] as ArrayBuffer)[59], 1);
    assert.equal(new Uint8Array(arena.chunks[1] as ArrayBuffer)[0], 2);
    assert.equal(
      code(() => arena.bytes(b, 65)),
      'SIGHTLINE_ERR_ARENA_INVALID_OFFSET',
    );
    assert.equal(
      code(() => arena.bytes(10_000, 1)),
      'SIGHTLINE_ERR_ARENA_INVALID_OFFSET',
    );
    assert.equal(
      code(() => arena.typed(Float64Array, 4, 1)),
      'SIGHTLINE_ERR_ARENA_INVALID_OFFSET',
    );
  });
});

describe('zones', () => {
  it('carves a named fixed region with its own counters, reset and full contract', () => {
    const arena = new Arena({ name: 'parser', capacity: 4096, ...off });
    arena.alloc(10);
    const headers = arena.zone('headers', 128);
    assert.equal(headers.zoneName, 'headers');
    assert.equal(headers.name, 'parser');
    const h = headers.alloc(100);
    assert.equal(h, 64); // zones start 64-byte aligned, in the parent's offset space
    assert.equal(headers.tryAlloc(100), -1);
    assert.throws(
      () => headers.alloc(100),
      /arena "parser\/headers" cannot allocate 100 bytes: zone capacity 128/,
    );
    headers.bytes(h, 100).fill(7);
    assert.equal(arena.bytes(h, 100)[99], 7);
    headers.reset();
    assert.equal(headers.alloc(8), 64);
    const s = headers.stats();
    assert.equal(s.zone, 'headers');
    assert.equal(s.capacity, 128);
    assert.equal(s.failures, 2);
    assert.equal(arena.stats().allocations, 2); // 10 bytes + the zone's reservation
    assert.equal(arena.used, 64 + 128);
  });
});
