/** Flow 1: the app opens on the welcome view; the demo stops at a breakpoint set in the glyph margin. */
import { clickGlyphMargin } from './helpers/editor';
import { expectStoppedIn, expectVariable, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// demo/demo.py: line 9 is `return round(price * (1 + TAX_RATE), 2)` inside price_with_tax.
const PRICE_WITH_TAX_BODY = 9;

test('opens on the welcome view and debugs the demo to a breakpoint', async ({ launchDapper }) => {
  const { page } = await launchDapper();
  await expect(page.getByRole('region', { name: 'Welcome' })).toBeVisible();
  for (const name of ['Variables', 'Watch', 'Call Stack', 'Breakpoints', 'Debug Console'] as const) {
    await expect(panel(page, name)).toBeVisible();
  }

  await page.getByRole('button', { name: 'Debug the Demo' }).click();
  // A script started from the app stops on its first line (setting "stopOnEntry", on by default).
  await expectStoppedIn(page, '<module>');

  await clickGlyphMargin(page, PRICE_WITH_TAX_BODY);
  await expect(panel(page, 'Breakpoints')).toContainText('demo.py');
  await toolbarButton(page, 'Continue').click();

  await expectStoppedIn(page, 'price_with_tax');
  await expectVariable(page, 'price', '1.5');
  const frames = panel(page, 'Call Stack').locator('.frame-name');
  await expect(frames).toHaveText(['price_with_tax', 'main', '<module>']);

  // Selecting the caller's frame shows its locals.
  await panel(page, 'Call Stack').getByRole('button', { name: /^main, / }).click();
  await expectVariable(page, 'step', '1');
});

test('the address without its token is refused with a message saying what to open', async ({ launchDapper }) => {
  const { page, url } = await launchDapper();
  test.skip(url === null, 'the Electron app has no address');
  const address = new URL(url ?? '');
  // A browser that never opened the tokened address has no session cookie either.
  const stranger = await page.context().browser()!.newContext();
  const strangerPage = await stranger.newPage();
  const response = await strangerPage.goto(`${address.origin}/`);
  expect(response?.status()).toBe(403);
  await expect(strangerPage.locator('body')).toContainText('needs a token');
  await expect(strangerPage.locator('body')).toContainText('dapper serve');
  await stranger.close();
});

test('opening a file that is not a Python script by path is refused with a clear message', async ({ launchDapper }) => {
  const { page, url } = await launchDapper();
  test.skip(url === null, 'the Electron app opens files with its native dialog');
  await page.getByRole('textbox', { name: 'File path' }).fill('/etc/passwd');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByText(/refused to read \/etc\/passwd/)).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toHaveCount(0);
});
