/** Short messages for the user (file saved where, why a drop was refused, what failed). */
import { create } from 'zustand';

export type NoticeKind = 'info' | 'warning' | 'error';

export interface Notice {
  readonly id: number;
  readonly kind: NoticeKind;
  readonly message: string;
}

interface NoticeState {
  readonly notices: readonly Notice[];
  push(kind: NoticeKind, message: string): void;
  dismiss(id: number): void;
}

let nextNoticeId = 1;

export const useNoticeStore = create<NoticeState>()((set, get) => ({
  notices: [],
  push(kind, message) {
    set({ notices: [...get().notices, { id: nextNoticeId++, kind, message }].slice(-5) });
  },
  dismiss(id) {
    set({ notices: get().notices.filter((notice) => notice.id !== id) });
  },
}));

export function notify(kind: NoticeKind, message: string): void {
  useNoticeStore.getState().push(kind, message);
}
