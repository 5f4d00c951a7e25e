/**
 * Threads, call stacks and sources without a file. The agent owns frame ids and formats
 * stale frames (code replaced by Apply Changes); the adapter forwards.
 */
import { forwardUnchanged } from './forwarding';
import type { RequestHandlers } from './sessionContext';

export const threadsAndStackHandlers: RequestHandlers = {
  threads: async (context, response, args) => {
    // Clients ask for threads right after the program ends; an empty list is the truth then.
    if (!context.agent) {
      response.body = { threads: [] };
      context.sendResponse(response);
      return;
    }
    await forwardUnchanged(context, response, args);
  },
  stackTrace: forwardUnchanged,
  source: forwardUnchanged,
};
