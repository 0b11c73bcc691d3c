import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

/** Bulwark's version, from package.json. */
export const VERSION: string = manifest.version;
