/**
 * The decode worker's entry (started by `DecodePool`): decodes each request it is sent and posts back the
 * store batch, spans as columns whose typed arrays are transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { runDecodeJob } from './decode-job.js';
import type { DecodeJobMessage } from './decode-pool.js';

const port = parentPort;
port?.on('message', (job: DecodeJobMessage) => {
  const { reply, transfer } = runDecodeJob(job);
  port.postMessage(reply, transfer);
});
