import { APP_ROOT_VARIABLE, createAppSnapshot } from './support/app-snapshot.js';

/** One snapshot of the application for the whole run; the forked test workers inherit its path. */
export default function setup(): () => void {
  const snapshot = createAppSnapshot();
  process.env[APP_ROOT_VARIABLE] = snapshot.root;
  return () => snapshot.dispose();
}
