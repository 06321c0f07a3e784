/**
 * A decode worker for tests: decodes like the real one, but exits (as a crash would) when a request body
 * starts with the bytes 0xde 0xad.
 */
import { parentPort } from 'node:worker_threads';
import { runDecodeJob } from '../../src/receiver/decode-job.js';
import type { DecodeJobMessage } from '../../src/receiver/decode-pool.js';

export const CRASH_MARK = [0xde, 0xad] as const;

const port = parentPort;
port?.on('message', (job: DecodeJobMessage) => {
  if (job.body[0] === CRASH_MARK[0] && job.body[1] === CRASH_MARK[1]) process.exit(3);
  const { reply, transfer } = runDecodeJob(job);
  port.postMessage(reply, transfer);
});
