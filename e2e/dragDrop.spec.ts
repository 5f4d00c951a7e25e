/** Flow 4: dropping a script on the window starts debugging it. */
import { consoleOutput, expectStoppedIn, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

const DROPPED = [
  'import time',
  'print("hello from the dropped file")',
  'for tick in range(100000):',
  '    time.sleep(0.1)',
  '',
].join('\n');

test('dropping a Python file on the window debugs it', async ({ launchDapper }) => {
  const { page } = await launchDapper();
  await expect(page.getByRole('region', { name: 'Welcome' })).toBeVisible();

  await page.locator('#root').drop({ files: { name: 'dropped.py', mimeType: 'text/x-python', buffer: Buffer.from(DROPPED) } });

  await expectStoppedIn(page, '<module>');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('hello from the dropped file');
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText('hello from the dropped file');
  await expect(toolbarButton(page, 'Pause')).toBeEnabled();
});
