// The latency histogram of a load run, in microseconds (autocannon's own keeps whole
// milliseconds, too coarse for sub-millisecond routes); the same shape wherever runs are merged.
import hdr from 'hdr-histogram-js';

export const latencyHistogram = () =>
  hdr.build({
    useWebAssembly: false,
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
