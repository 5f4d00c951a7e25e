/**
 * Flows 2 and 3, and the refusals: stopped in a loop, edit a function, apply it (button or
 * Ctrl+S), continue, and the Debug Console shows the new values; an edit that cannot be
 * applied shows a marker at its line and the program keeps its old behaviour.
 */
import * as fs from 'node:fs';
import type { Page } from '@playwright/test';
import { clickGlyphMargin, expectMarkerOnLine, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, expectVariable, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';
import { programStdoutLines } from './helpers/dapTrace';

// e2e/scripts/counter.py
const COMPUTE_BODY = 6; // return n * 2
const PRINT_VALUE = 12; // print(f"value {value}")

// e2e/scripts/closures.py
const SCALE_DEF = 6; //      def scale(x):
const SCALE_BODY = 7; //         return x * factor
const MAKE_SCALER_RETURN = 8; // return scale
const PRINT_RESULT = 17; // print(f"result {result}")

/** The numbers the program printed after `label` ("value N" lines), in order, read from the host's DAP trace. */
function printedValues(hostLog: string, label = 'value'): number[] {
  return programStdoutLines(hostLog).flatMap((line) => {
    const match = new RegExp(`^${label} (\\d+)$`).exec(line);
    return match ? [Number(match[1])] : [];
  });
}

/**
 * A script given on the command line opens and starts debugging, stopped on its first line;
 * this runs it to the breakpoint on `line`, in main().
 */
async function runToLine(page: Page, line: number): Promise<void> {
  await expectStoppedIn(page, '<module>');
  await clickGlyphMargin(page, line);
  await toolbarButton(page, 'Continue').click();
  await expectStoppedIn(page, 'main');
}

/** Removes the breakpoint on `line` and lets the program run. */
async function removeBreakpointAndContinue(page: Page, line: number): Promise<void> {
  await clickGlyphMargin(page, line);
  await toolbarButton(page, 'Continue').click();
}

test('Apply Changes: edit a function while stopped and the program continues with it', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const app = await launchDapper({ script });
  const { page } = app;
  await runToLine(page, PRINT_VALUE);
  await expectVariable(page, 'value', '0');

  await replaceLineText(page, COMPUTE_BODY, 'return n * 100');
  await toolbarButton(page, 'Apply Changes').click();
  await expect.poll(() => fs.readFileSync(script, 'utf8')).toContain('return n * 100');
  await expect(consoleOutput(page)).toContainText('Applied counter.py');
  await expect(toolbarButton(page, 'Apply Changes')).toBeDisabled();

  // The next iteration computes with the new code.
  await toolbarButton(page, 'Continue').click();
  await expectStoppedIn(page, 'main');
  await expectVariable(page, 'value', '100');

  await removeBreakpointAndContinue(page, PRINT_VALUE);
  await expect(consoleOutput(page)).toContainText('value 200');
  // Every line the program printed, exactly (the console shows only the rows in view): the
  // first stop came before any print, so each value is compute(i) with the new code — i * 100;
  // the old code's i * 2 (2, 4, 6, …) never appears.
  await expect.poll(() => printedValues(app.serverOutput()).slice(0, 4)).toEqual([0, 100, 200, 300]);
  const values = printedValues(app.serverOutput());
  expect(values.filter((value) => value % 100 !== 0), `values printed: ${values.join(', ')}`).toEqual([]);
});

test('a frame left running old code is marked in Call Stack and carries on with its old code', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const app = await launchDapper({ script });
  const { page } = app;
  await runToLine(page, PRINT_VALUE);

  await replaceLineText(page, PRINT_VALUE, 'print(f"new value {value}")');
  await toolbarButton(page, 'Apply Changes').click();
  await expect(consoleOutput(page)).toContainText('Applied counter.py');
  const stack = panel(page, 'Call Stack');
  await expect(stack.getByText('old code')).toBeVisible();
  // Restart Frame is offered (e2e/restartFrame.spec.ts); without it the frame keeps its old code.
  await expect(page.getByRole('status', { name: 'Status' }).getByRole('button', { name: 'Restart frame' })).toBeVisible();

  // main() is the frame that was running: it carries on with the code it started with.
  await removeBreakpointAndContinue(page, PRINT_VALUE);
  await expect(consoleOutput(page)).toContainText('value 4');
  await expect.poll(() => printedValues(app.serverOutput()).slice(0, 3)).toEqual([0, 2, 4]);
  const lines = programStdoutLines(app.serverOutput());
  expect(lines.filter((line) => line.startsWith('new value')), `lines printed: ${lines.join(' | ')}`).toEqual([]);
});

test('Ctrl+S applies the edit to the stopped program (no button)', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await runToLine(page, PRINT_VALUE);

  await replaceLineText(page, COMPUTE_BODY, 'return n * 1000');
  await page.keyboard.press('Control+S');
  await expect.poll(() => fs.readFileSync(script, 'utf8')).toContain('return n * 1000');
  await expect(consoleOutput(page)).toContainText('Applied counter.py');
  await expect(toolbarButton(page, 'Apply Changes')).toBeDisabled();

  await toolbarButton(page, 'Continue').click();
  await expectStoppedIn(page, 'main');
  await expectVariable(page, 'value', '1000');
  await removeBreakpointAndContinue(page, PRINT_VALUE);
  await expect(consoleOutput(page)).toContainText('value 2000');
});

test('a syntax error in an applied edit shows an error marker and the program keeps its old code', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await runToLine(page, PRINT_VALUE);

  await replaceLineText(page, COMPUTE_BODY, 'return n *');
  await toolbarButton(page, 'Apply Changes').click();
  await expectMarkerOnLine(page, 'error', COMPUTE_BODY);

  await removeBreakpointAndContinue(page, PRINT_VALUE);
  await expect(consoleOutput(page)).toContainText('value 4');
  expect(fs.readFileSync(script, 'utf8')).toContain('return n *');
});

test("an edit that changes a closure's free variables shows a warning at the function", async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('closures.py');
  const app = await launchDapper({ script });
  const { page } = app;
  await runToLine(page, PRINT_RESULT);
  await expectVariable(page, 'result', '0');

  // `scale` now closes over `offset` too: the live closure (module-level `scale`) binds its
  // cells by position, so its code cannot be swapped; Apply Changes must say so.
  await replaceLineText(page, SCALE_BODY, 'return x * factor + offset');
  await replaceLineText(page, MAKE_SCALER_RETURN, 'offset = 100; return scale');
  await toolbarButton(page, 'Apply Changes').click();
  await expectMarkerOnLine(page, 'warning', SCALE_DEF);

  // The existing closure keeps its old code: 3 * i, never + 100.
  await removeBreakpointAndContinue(page, PRINT_RESULT);
  await expect(consoleOutput(page)).toContainText('result 6');
  await expect.poll(() => printedValues(app.serverOutput(), 'result').slice(0, 3)).toEqual([0, 3, 6]);
  const results = printedValues(app.serverOutput(), 'result');
  expect(results.filter((result) => result % 3 !== 0), `results printed: ${results.join(', ')}`).toEqual([]);
});
