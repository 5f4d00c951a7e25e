/** The debugger's panels and toolbar, found by their accessible names (the names screen readers announce). */
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export const panel = (page: Page, name: 'Variables' | 'Watch' | 'Call Stack' | 'Breakpoints' | 'Debug Console'): Locator =>
  page.getByRole('region', { name, exact: true });

export const toolbarButton = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true });

export const consoleOutput = (page: Page): Locator => page.getByRole('log', { name: 'Debug Console output' });

/** Waits until the program is stopped (Continue is enabled) with `frameName` on top of the Call Stack. */
export async function expectStoppedIn(page: Page, frameName: string): Promise<void> {
  await expect(toolbarButton(page, 'Continue')).toBeEnabled();
  await expect(panel(page, 'Call Stack').locator('.frame-name').first()).toHaveText(frameName);
}

export async function expectVariable(page: Page, name: string, value: string): Promise<void> {
  await expect(panel(page, 'Variables').getByRole('treeitem', { name: `${name} = ${value}`, exact: true })).toBeVisible();
}
