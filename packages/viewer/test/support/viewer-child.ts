/** A viewer in its own process (for kill -9 tests): prints its endpoints as one JSON line on stdout. */
import { startViewer } from '../../src/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: viewer-child <dataDir>');
// every trace request goes through a decode worker, so the kill -9 test covers that path too
const viewer = await startViewer({
  httpPort: 0,
  grpcPort: false,
  dataDir,
  decodeWorkers: 1,
  decodeWorkerMinBytes: 0,
});
process.stdout.write(`${JSON.stringify({ httpUrl: viewer.httpUrl, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  void viewer.close().then(() => process.exit(0));
});
