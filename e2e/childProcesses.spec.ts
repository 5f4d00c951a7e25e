/**
 * Child processes: a multiprocessing Pool program shows its worker processes in Call Stack,
 * a breakpoint in the worker function stops a worker (the others and the program go on),
 * its frame shows the worker's locals in Variables and evaluates Watch there, and an edit
 * applied while it is stopped changes what every worker returns afterwards.
 */
import { clickGlyphMargin, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// e2e/scripts/pool.py
const WORK_BODY = 5; //     return x * 2

test("a Pool program: workers in Call Stack, a breakpoint stops one, its frame shows the worker's Variables and Watch, an applied edit reaches every worker", async ({ launchDapper, scriptCopy }) => {
  test.setTimeout(240_000);
  const script = scriptCopy('pool.py');
  const { page } = await launchDapper({ script });
  await expectStoppedIn(page, '<module>');
  await clickGlyphMargin(page, WORK_BODY);
  await toolbarButton(page, 'Continue').click();

  const stack = panel(page, 'Call Stack');
  const workers = stack.getByRole('listitem', { name: /^Process \d+$/ });
  await expect(workers).toHaveCount(2, { timeout: 120_000 });
  await expect(workers.first()).toContainText('multiprocessing worker');
  const stopped = workers.filter({ hasText: 'paused on breakpoint' });
  await expect(stopped.first()).toBeVisible({ timeout: 120_000 });
  // The other worker may stop too: follow this one by its PID.
  const worker = stack.getByRole('listitem', { name: (await stopped.first().getAttribute('aria-label'))!, exact: true });
  const frame = worker.getByRole('button', { name: /^work, pool\.py:5$/ });
  await expect(frame).toBeVisible();

  // The worker's frame: Variables shows its locals, a Watch expression is evaluated in it
  // (while the program itself runs on in pool.map).
  await expect(panel(page, 'Variables')).toContainText('Pause the program to see its variables.');
  const stoppedLine = page.locator('.monaco-editor .glyph-current-line-on-breakpoint');
  await expect(stoppedLine).toHaveCount(0);
  await frame.click();
  // The editor marks where the worker is stopped (on the breakpoint's line).
  await expect(stoppedLine).toHaveCount(1);
  const local = panel(page, 'Variables').getByRole('treeitem', { name: /^x = [1-4]$/ });
  await expect(local).toBeVisible();
  const x = Number((await local.getAttribute('aria-label'))!.slice('x = '.length));
  const watchInput = panel(page, 'Watch').getByRole('textbox', { name: 'Add watch expression' });
  await watchInput.fill('x * 10');
  await watchInput.press('Enter');
  await expect(panel(page, 'Watch').getByRole('treeitem', { name: `x * 10 = ${x * 10}`, exact: true })).toBeVisible();

  // While stopped: remove the breakpoint, change the function, apply it everywhere.
  await clickGlyphMargin(page, WORK_BODY);
  await replaceLineText(page, WORK_BODY, 'return x * 100');
  await toolbarButton(page, 'Apply Changes').click();
  await expect(consoleOutput(page)).toContainText('Child processes: 2 of 2 applied', { timeout: 60_000 });

  await stack.getByRole('button', { name: 'Continue all processes' }).click();
  await expect(consoleOutput(page)).toContainText('second [100, 200, 300, 400]', { timeout: 120_000 });
  // Workers end with the pool: removed from Call Stack, their exits in the Debug Console.
  await expect(workers).toHaveCount(0, { timeout: 60_000 });
  await expect(consoleOutput(page)).toContainText(/Process \d+ \(multiprocessing worker \(PID \d+\)\) (exited with code|ended)/);
});
