import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { OutputBackpressure } from '../../adapter/outputAndInput';
import type { DebugSessionFactory, HostContext } from '../bridge/bridgeService';
import { FileAccessPolicy } from '../workspace/fileAccessPolicy';
import { SettingsStore } from '../settings/settingsStore';
import { DroppedFilesFolder } from '../workspace/droppedFiles';

const createdDirs: string[] = [];

export function tempDir(prefix = 'dapper-host-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** Called after each test file (test/setup.ts). */
export function removeTempDirs(): void {
  for (const dir of createdDirs.splice(0)) {
    try {
      fs.chmodSync(dir, 0o755);
    } catch {
      // Already gone.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stands in for the adapter: records what the host forwards and lets a test play adapter
 * messages back (e.g. a stackTrace response naming a source file).
 */
export class RecordingSessions {
  readonly received: DebugProtocol.ProtocolMessage[] = [];
  readonly disposed: number[] = [];
  /** The output flow control the host gave each session, in order. */
  readonly backpressures: OutputBackpressure[] = [];
  private emitters: Array<(message: DebugProtocol.ProtocolMessage) => void> = [];

  readonly factory: DebugSessionFactory = ({ onMessage, backpressure }) => {
    this.backpressures.push(backpressure);
    const index = this.emitters.push(onMessage) - 1;
    return {
      handleMessage: (message) => this.received.push(message),
      dispose: () => this.disposed.push(index),
    };
  };

  playFromAdapter(message: DebugProtocol.ProtocolMessage, session = this.emitters.length - 1): void {
    this.emitters[session](message);
  }
}

export interface TestContext {
  readonly context: HostContext;
  readonly sessions: RecordingSessions;
  readonly dir: string;
  readonly demo: string;
}

export function createTestContext(host: 'browser' | 'electron' = 'browser'): TestContext {
  const dir = tempDir();
  const demo = path.join(dir, 'demo.py');
  fs.writeFileSync(demo, 'print("demo")\n');
  const sessions = new RecordingSessions();
  const context: HostContext = {
    host,
    version: '0.0.0-test',
    demoScript: demo,
    initialScript: null,
    initialFolder: null,
    settings: new SettingsStore(path.join(dir, 'config')),
    policy: new FileAccessPolicy(),
    createDebugSession: sessions.factory,
    droppedFiles: new DroppedFilesFolder(path.join(dir, 'dropped')),
  };
  return { context, sessions, dir, demo };
}
