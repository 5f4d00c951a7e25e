/**
 * Child processes: a multiprocessing Pool program shows its worker processes in Call Stack,
 * a breakpoint in the worker function stops a worker (the others and the program go on),
 * its frame shows the worker's locals in Variables and evaluates Watch there, and an edit
 * applied while it is stopped changes what every worker returns afterwards. Restart Frame on a
 * stopped worker's frame left on the old code runs that call again in the worker, with the new code;
 * Run to Cursor and Jump to Cursor in the selected worker frame act in that worker.
 */
import { clickGlyphMargin, contextMenuOnLine, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// e2e/scripts/pool.py
const WORK_BODY = 5; //     return x * 2
// e2e/scripts/pool_work.py
const DOUBLE_BODY = 2; //   y = x * 2  (a module the Pool workers import)
const DOUBLE_RETURN = 3; //  return y

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

test("Restart Frame on a stopped Pool worker's frame after an apply: that very call returns the new code's value; Run to Cursor and Jump to Cursor act in the worker", async ({ launchDapper, scriptCopy, workDir }) => {
  test.setTimeout(240_000);
  // The worker function is in a module the workers import, prepared for Restart Frame as it is
  // imported. (The program's own file in a spawn worker, `__mp_main__`, gets the code with restart
  // points the program compiled: adapter/test/childProcesses.test.ts restarts a frame there.)
  scriptCopy('pool_work.py');
  scriptCopy('pool_restart.py');
  const { page } = await launchDapper({ folder: workDir });
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await explorer.getByRole('treeitem', { name: 'pool_work.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def double(x):');
  await clickGlyphMargin(page, DOUBLE_BODY);
  await explorer.getByRole('treeitem', { name: 'pool_restart.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('mp.Pool(1)');
  await toolbarButton(page, 'Start Debugging').click();
  await expectStoppedIn(page, '<module>');
  await toolbarButton(page, 'Continue').click();

  const stack = panel(page, 'Call Stack');
  const worker = stack.getByRole('listitem', { name: /^Process \d+$/ });
  await expect(worker).toContainText('paused on breakpoint', { timeout: 120_000 });
  await worker.getByRole('button', { name: /^double, pool_work\.py:2$/ }).click();
  const x = panel(page, 'Variables').getByRole('treeitem', { name: /^x = \d$/ });
  await expect(x).toBeVisible();
  const stoppedOn = await x.getAttribute('aria-label');

  // While stopped: remove the breakpoint, change the function, apply it in every process.
  await clickGlyphMargin(page, DOUBLE_BODY);
  await replaceLineText(page, DOUBLE_BODY, 'y = x * 100');
  await toolbarButton(page, 'Apply Changes').click();
  await expect(consoleOutput(page)).toContainText('Child processes: 1 of 1 applied', { timeout: 60_000 });

  // The stopped call still runs the old code; Restart Frame runs it again in the worker.
  const staleName = /^double \(old code\), pool_work\.py:2$/;
  await expect(worker.getByRole('button', { name: staleName })).toBeVisible();
  const row = worker.getByRole('listitem').filter({ has: page.getByRole('button', { name: staleName }) });
  await row.hover();
  const restart = row.getByRole('button', { name: 'Restart Frame' });
  await expect(restart).toHaveAttribute('title', /not undone/);
  await restart.click();
  await expect(worker).toContainText('paused on restart', { timeout: 60_000 });
  await expect(worker.getByRole('button', { name: /^double, pool_work\.py:\d+$/ })).toHaveAttribute('aria-current', 'true');
  await expect(worker.getByText('old code')).toHaveCount(0);
  await expect(panel(page, 'Variables').getByRole('treeitem', { name: stoppedOn!, exact: true })).toBeVisible();
  const value = Number(stoppedOn!.slice('x = '.length));

  // Run to Cursor in the selected worker frame: the worker (while the program runs on) stops
  // on that line, where the restarted call has run the new code.
  await contextMenuOnLine(page, DOUBLE_RETURN, 'Run to Cursor');
  await expect(worker.getByRole('button', { name: /^double, pool_work\.py:3$/ })).toHaveAttribute('aria-current', 'true', { timeout: 60_000 });
  await expect(panel(page, 'Variables').getByRole('treeitem', { name: `y = ${value * 100}`, exact: true })).toBeVisible();
  // Jump to Cursor: back to the assignment, in the worker.
  await contextMenuOnLine(page, DOUBLE_BODY, 'Jump to Cursor');
  await expect(worker).toContainText('paused on goto', { timeout: 60_000 });
  await expect(worker.getByRole('button', { name: /^double, pool_work\.py:2$/ })).toHaveAttribute('aria-current', 'true');

  // Continue (the toolbar acts on the selected worker): every call, the restarted one too, ran the new code.
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText('results [100, 200, 300]', { timeout: 120_000 });
});
