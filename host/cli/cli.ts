/**
 * Entry point of the `dapper` bin (bin/dapper.js). Parses the command line and runs the
 * desktop app or the browser host with the in-process DAP adapter.
 */
import { createInProcessSession } from '../../adapter/index';
import type { DebugSessionFactory } from '../bridge/bridgeService';
import { CliUsageError, parseCliArgs, USAGE } from './cliArgs';
import { runDesktop } from './desktopLauncher';
import { runListen } from './listenCommand';
import { packageLayout } from './packageRoot';
import { runServe } from './serveCommand';

const createDebugSession: DebugSessionFactory = (options) => createInProcessSession(options);

export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`dapper: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const layout = packageLayout();
  switch (command.kind) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'version':
      console.log(layout.version);
      return 0;
    case 'serve': {
      const running = await runServe({ ...command, layout, createDebugSession });
      await running.finished;
      return 0;
    }
    case 'listen':
      return runListen({ python: command.python, agentArgs: command.agentArgs, root: layout.root });
    case 'app':
      // `npm start` with no script or folder opens the bundled demo, like the app's first run.
      return runDesktop({
        script: command.script ?? (command.folder ? null : layout.demoScript),
        folder: command.folder,
        layout,
        createDebugSession,
      });
    default: {
      const unreachable: never = command;
      throw new Error(`Unhandled command ${JSON.stringify(unreachable)}`);
    }
  }
}
