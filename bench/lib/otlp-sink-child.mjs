// The child of otlp-sink-process.mjs: runs the sink and answers the parent's requests.
import { startOtlpSink } from './otlp-sink.mjs';

const sink = await startOtlpSink();
const countsNow = () => {
  const { lastMetricBody: _body, ...counts } = sink.counts;
  return counts;
};
process.on('message', async ({ id, type }) => {
  if (type === 'reset') sink.reset();
  const counts = countsNow();
  if (type === 'stop') await sink.stop();
  process.send({ id, counts }, () => {
    if (type === 'stop') process.disconnect();
  });
});
// The driver gone (even without saying stop): leave, rather than listen on as an orphan.
process.on('disconnect', () => process.exit(0));
process.send({ baseUrl: sink.baseUrl });
