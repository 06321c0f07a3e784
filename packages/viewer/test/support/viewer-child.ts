/** A viewer in its own process (for kill -9 tests): prints its endpoints as one JSON line on stdout. */
import { startViewer } from '../../src/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: viewer-child <dataDir>');
const viewer = await startViewer({ httpPort: 0, grpcPort: false, dataDir });
process.stdout.write(`${JSON.stringify({ httpUrl: viewer.httpUrl, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  void viewer.close().then(() => process.exit(0));
});
