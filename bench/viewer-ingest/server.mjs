// The viewer under test, in its own process: prints {"httpUrl": ...} once listening; SIGTERM stops it.
import { startViewer } from '@sightline/viewer';

const dataDir = process.argv[2];
const viewer = await startViewer({
  httpPort: 0,
  grpcPort: false,
  dataDir,
  maxBytes: 64 * 1024 ** 3,
  maxQueueItems: 400_000,
  memoryLimit: process.env.BENCH_MEMORY_LIMIT ?? '2GB',
  runName: 'bench',
  ...(process.env.BENCH_DECODE_WORKERS
    ? { decodeWorkers: Number(process.env.BENCH_DECODE_WORKERS) }
    : {}),
});
process.stdout.write(`${JSON.stringify({ httpUrl: viewer.httpUrl, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  viewer.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
