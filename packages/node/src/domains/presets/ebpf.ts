import { defineSpanFamily } from '../define-span-family.js';

const program = { type: 'string', required: true } as const;

/**
 * eBPF: compiling (and loading) a program, running it, a kprobe firing, and draining a perf
 * buffer. The CPU and process use `cpu.logical_number` and `process.pid`.
 *
 * @example
 * ```ts
 * const events = ebpfSpans.perfBufferRead({ map: 'events', cpu: 2 }, (span) => {
 *   const batch = buffer.poll();
 *   ebpfSpans.perfBufferRead.setAttributes(span, { records: batch.length, lost: buffer.lost });
 *   return batch;
 * });
 * ```
 */
export const ebpfSpans = defineSpanFamily('ebpf', {
  programCompile: {
    attributes: { program, programType: 'string', instructionCount: 'int', jited: 'bool' },
  },
  programExecution: {
    attributes: {
      program,
      programType: 'string',
      cpu: { type: 'int', key: 'cpu.logical_number' },
      runCount: 'int',
      returnCode: 'int',
    },
  },
  kprobeTrigger: {
    attributes: {
      function: { type: 'string', required: true },
      program: 'string',
      retprobe: 'bool',
      cpu: { type: 'int', key: 'cpu.logical_number' },
      pid: { type: 'int', key: 'process.pid' },
    },
  },
  perfBufferRead: {
    attributes: {
      map: { type: 'string', required: true },
      cpu: { type: 'int', key: 'cpu.logical_number' },
      records: 'int',
      lost: 'int',
      bytes: 'int',
    },
  },
});
