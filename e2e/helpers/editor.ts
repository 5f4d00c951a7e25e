/**
 * What a user does with the Monaco editor, done the way a user does it: clicks in the
 * glyph margin, selects a line and types. Positions come from the rendered line numbers.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export function editor(page: Page): Locator {
  return page.locator('.monaco-editor').first();
}

function lineNumber(page: Page, line: number): Locator {
  return editor(page).locator('.margin .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
}

async function lineCenterY(page: Page, line: number): Promise<number> {
  const number = lineNumber(page, line);
  let center: number | null = null;
  // Monaco re-renders its line elements on every change; measure one that stays put.
  await expect
    .poll(async () => {
      const box = await number.boundingBox({ timeout: 1000 }).catch(() => null);
      center = box ? box.y + box.height / 2 : null;
      return center;
    }, { message: `line ${line} on screen` })
    .not.toBeNull();
  return center as unknown as number;
}

/** Clicks the breakpoint gutter (glyph margin) of a line, as a user sets a breakpoint. */
export async function clickGlyphMargin(page: Page, line: number): Promise<void> {
  const y = await lineCenterY(page, line);
  const margin = await editor(page).locator('.margin').first().boundingBox();
  if (!margin) throw new Error('the editor has no margin');
  await page.mouse.click(margin.x + 9, y);
}

/** Replaces a line's text after its indentation (click at the end, Shift+Home, type). */
export async function replaceLineText(page: Page, line: number, text: string): Promise<void> {
  const y = await lineCenterY(page, line);
  const lines = await editor(page).locator('.view-lines').first().boundingBox();
  if (!lines) throw new Error('the editor shows no text');
  await page.mouse.click(lines.x + lines.width - 20, y);
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.insertText(text);
}

/** The squiggle Monaco draws for a marker of this severity, on the given line. */
export async function expectMarkerOnLine(page: Page, severity: 'error' | 'warning', line: number): Promise<void> {
  const squiggles = editor(page).locator(`.squiggly-${severity}`);
  await expect(squiggles.first()).toBeVisible();
  const y = await lineCenterY(page, line);
  await expect
    .poll(async () => {
      const boxes = await squiggles.evaluateAll((elements) => elements.map((element) => {
        const rect = element.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom };
      }));
      return boxes.some((box) => box.top - 4 <= y && y <= box.bottom + 4);
    }, { message: `a ${severity} marker on line ${line}` })
    .toBe(true);
}

/** Right-clicks a line's text and picks `item` from the editor's context menu. */
export async function contextMenuOnLine(page: Page, line: number, item: string): Promise<void> {
  const y = await lineCenterY(page, line);
  const lines = await editor(page).locator('.view-lines').first().boundingBox();
  if (!lines) throw new Error('the editor shows no text');
  await page.mouse.click(lines.x + 40, y, { button: 'right' });
  const entry = page.getByRole('menuitem', { name: item });
  await entry.hover();
  await entry.click({ delay: 50 });
}
