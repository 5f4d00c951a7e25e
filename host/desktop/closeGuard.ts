/**
 * What closing the window does when the editor has unsaved edits: ask, like every editor.
 * Returns whether to close now; "Save" asks the renderer to save and closes once it reports
 * that nothing is unsaved any more.
 */
export const CLOSE_DIALOG_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;

export type CloseChoice = (typeof CLOSE_DIALOG_BUTTONS)[number];

export interface CloseDialog {
  readonly type: 'warning';
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly buttons: string[];
  readonly defaultId: number;
  readonly cancelId: number;
}

export function closeDialog(title: string): CloseDialog {
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message: 'Save your changes before closing?',
    detail: `${title || 'The current file'} has edits that are not saved. They are lost if you close without saving.`,
    buttons: [...CLOSE_DIALOG_BUTTONS],
    defaultId: 0,
    cancelId: 2,
  };
}

export type CloseDecision = 'close' | 'stay' | 'save-then-close';

export function decideClose(dirty: boolean, askUser: () => number): CloseDecision {
  if (!dirty) return 'close';
  const choice = CLOSE_DIALOG_BUTTONS[askUser()] ?? 'Cancel';
  switch (choice) {
    case 'Save':
      return 'save-then-close';
    case "Don't Save":
      return 'close';
    case 'Cancel':
      return 'stay';
    default: {
      const unreachable: never = choice;
      throw new Error(`Unhandled close choice ${String(unreachable)}`);
    }
  }
}
