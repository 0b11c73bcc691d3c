import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './app-snapshot.js';

const AXE_SCRIPT = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

interface AxeResultNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}

interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeResultNode[];
}

// The page's globals as far as these checks use them (the e2e code is compiled without the DOM library).
interface PageGlobals {
  document: unknown;
  axe?: { run(context: unknown, options: { resultTypes: string[] }): Promise<{ violations: AxeResult[] }> };
}

/**
 * Runs axe-core on the page as it is now and returns every violation. axe is injected as a script
 * tag, so the page's context must be opened with bypassCSP.
 */
export async function findAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  const hasAxe = await page.evaluate(() => (globalThis as unknown as PageGlobals).axe !== undefined);
  if (!hasAxe) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async () => {
    const globals = globalThis as unknown as PageGlobals;
    if (!globals.axe) throw new Error('axe-core did not load');
    const results = await globals.axe.run(globals.document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map(String).join(' '),
        html: node.html.length > 240 ? `${node.html.slice(0, 240)}…` : node.html,
        summary: node.failureSummary ?? '',
      })),
    }));
  });
}

export function isSeriousOrCritical(violation: AccessibilityViolation): boolean {
  return violation.impact === 'serious' || violation.impact === 'critical';
}

export function formatViolations(violations: AccessibilityViolation[]): string {
  return violations
    .map((violation) =>
      [
        `[${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help} (${violation.helpUrl})`,
        ...violation.nodes.map((node) => `    at ${node.target}: ${node.html}\n      ${node.summary.replace(/\n/g, '\n      ')}`),
      ].join('\n'),
    )
    .join('\n');
}
