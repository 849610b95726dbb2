// The worker's entry when sahifa runs from its TypeScript sources (tests, the
// benchmark under tsx): a worker thread does not inherit tsx from its parent,
// so it registers tsx before loading the worker module. The compiled package
// loads lib/pipeline/render-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: renderInWorker } = await import('./render-worker.ts');
export default renderInWorker;
