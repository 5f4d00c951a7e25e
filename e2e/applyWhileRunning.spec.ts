/**
 * Apply Changes while the program runs: F5, edit the function the loop calls, Ctrl+S, and the
 * Debug Console shows the new values at once — the program never appears paused. A refused
 * edit says the program keeps its old code, and it does.
 */
import * as fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expectMarkerOnLine, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// e2e/scripts/counter.py
const COMPUTE_BODY = 6; // return n * 2

/** Records every class the status bar takes from now on (status-running, status-stopped…). */
async function watchSessionStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const footer = document.querySelector('footer[aria-label="Status"]');
    const seen: string[] = [];
    (window as unknown as { __dapperStates: string[] }).__dapperStates = seen;
    if (!footer) throw new Error('the status bar (footer named "Status") is not on the page');
    seen.push(footer.className);
    new MutationObserver(() => seen.push(footer.className)).observe(footer, { attributes: true, attributeFilter: ['class'] });
  });
  return () => page.evaluate(() => (window as unknown as { __dapperStates: string[] }).__dapperStates);
}

/** The script starts stopped on its first line; F5 lets it run, printing `value 0`, `value 2`… */
async function startRunning(page: Page): Promise<void> {
  await expectStoppedIn(page, '<module>');
  await page.keyboard.press('F5');
  await expect(toolbarButton(page, 'Pause')).toBeVisible();
  await expect(consoleOutput(page)).toContainText('value 2');
}

test('Apply Changes while the program runs: Ctrl+S and the loop prints new values, never paused', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await startRunning(page);
  const states = await watchSessionStates(page);

  await replaceLineText(page, COMPUTE_BODY, 'return n * 1000 + 7');
  await page.keyboard.press('Control+S');
  await expect.poll(() => fs.readFileSync(script, 'utf8')).toContain('return n * 1000 + 7');
  await expect(consoleOutput(page)).toContainText('Applied counter.py: 1 function patched');
  await expect(consoleOutput(page)).toContainText(/value \d+007(?!\d)/);
  await expect(toolbarButton(page, 'Pause')).toBeVisible();
  await expect(toolbarButton(page, 'Apply Changes')).toBeDisabled();
  const seen = await states();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((state) => !state.includes('status-running'))).toEqual([]);
});

test('Apply Changes button while the program runs; a syntax error is marked and the old code keeps running', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await startRunning(page);
  const states = await watchSessionStates(page);

  await replaceLineText(page, COMPUTE_BODY, 'return n *');
  await toolbarButton(page, 'Apply Changes').click();
  await expectMarkerOnLine(page, 'error', COMPUTE_BODY);
  await expect(consoleOutput(page)).toContainText('The program keeps running its old code');
  const printed = (await consoleOutput(page).textContent()) ?? '';
  const lastValue = Number([...printed.matchAll(/value (\d+)/g)].pop()?.[1]);
  await expect(consoleOutput(page)).toContainText(new RegExp(`value ${lastValue + 4}(?!\\d)`));

  await replaceLineText(page, COMPUTE_BODY, 'return -n');
  await toolbarButton(page, 'Apply Changes').click();
  await expect(consoleOutput(page)).toContainText(/value -\d+/);
  expect((await states()).filter((state) => !state.includes('status-running'))).toEqual([]);
});
