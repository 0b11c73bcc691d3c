import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm test`: the unit and server tests, then the browser journeys when Debian's Chromium is
 * installed. Every part runs even when an earlier one fails; the exit code is non-zero when any
 * part failed. Ends with one "tests: N passed, N failed" line over all parts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VITEST = path.join(ROOT, 'node_modules', '.bin', 'vitest');
const RESULTS_DIR = path.join(ROOT, '.tmp', 'test-results');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Part {
  name: string;
  slug: string;
  args: string[];
}

interface PartOutcome {
  name: string;
  exitCode: number;
  passed: number;
  failed: number;
  skipped: number;
}

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

function runVitest(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(VITEST, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runPart(part: Part): Promise<PartOutcome> {
  console.log(`\n=== ${part.name} ===\n`);
  const reportFile = path.join(RESULTS_DIR, `${part.slug}.json`);
  fs.rmSync(reportFile, { force: true });
  const exitCode = await runVitest([...part.args, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`]);
  if (!fs.existsSync(reportFile)) return { name: part.name, exitCode: exitCode || 1, passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as VitestJsonReport;
  return {
    name: part.name,
    exitCode,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

fs.mkdirSync(RESULTS_DIR, { recursive: true });
const outcomes: PartOutcome[] = [];
outcomes.push(await runPart({ name: 'Unit and server tests', slug: 'unit', args: ['run'] }));

const hasChromium = fs.existsSync(CHROMIUM_PATH);
if (hasChromium) {
  outcomes.push(await runPart({ name: 'Browser journeys', slug: 'e2e', args: ['run', '--config', 'e2e/vitest.config.ts'] }));
}

console.log('\n=== Summary ===');
for (const outcome of outcomes) {
  const status = outcome.exitCode === 0 ? 'ok' : `FAILED (exit ${outcome.exitCode})`;
  console.log(`${outcome.name}: ${status}; ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped`);
}
if (!hasChromium) {
  console.log(
    [
      '',
      `Browser journeys SKIPPED: no Chromium at ${CHROMIUM_PATH}.`,
      "Install Debian's Chromium to run them: sudo apt-get install -y chromium",
      '(or point CHROMIUM_PATH at a Chromium binary). They never download a browser of their own.',
    ].join('\n'),
  );
}
const total = outcomes.reduce(
  (sum, outcome) => ({ passed: sum.passed + outcome.passed, failed: sum.failed + outcome.failed, skipped: sum.skipped + outcome.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(outcomes.some((outcome) => outcome.exitCode !== 0) ? 1 : 0);
