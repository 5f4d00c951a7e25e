/**
 * The environments stay apart (eslint.config.mjs, run by `npm run lint` in `npm test`): a
 * renderer file importing host/, adapter/, electron/ or Node fails the lint, and so does
 * common/ importing an environment. Checked with ESLint itself on files that would be there.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(relativePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(repoRoot, relativePath) });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('environment boundaries', () => {
  it('fails a renderer import of host/, adapter/, electron/, the electron package or Node', async () => {
    const messages = await restrictedImports(
      'renderer/src/session/boundaryProbe.ts',
      [
        "import { BRIDGE_SOCKET_PATH } from '../../../host/browser/browserServer';",
        "import { DapperSession } from '../../../adapter/session';",
        "import { createMainWindow } from '../../../electron/main';",
        "import { app } from 'electron';",
        "import { readFileSync } from 'node:fs';",
        'export const used = [BRIDGE_SOCKET_PATH, DapperSession, createMainWindow, app, readFileSync];',
      ].join('\n'),
    );
    expect(messages).toHaveLength(5);
    expect(messages[0]).toMatch(/may not import host\//);
    expect(messages[1]).toMatch(/may not import adapter\//);
    expect(messages[2]).toMatch(/may not import electron\//);
    expect(messages[3]).toMatch(/window\.dapper/);
    expect(messages[4]).toMatch(/Node modules are not available/);
  }, 60_000);

  it('lets the renderer import common/ and its own files', async () => {
    const messages = await restrictedImports(
      'renderer/src/session/boundaryProbe.ts',
      "import { BRIDGE_SOCKET_PATH } from '../../../common/webSocketProtocol';\nimport { notify } from '../stores/noticeStore';\nexport const used = [BRIDGE_SOCKET_PATH, notify];",
    );
    expect(messages).toEqual([]);
  }, 60_000);

  it("fails a renderer import of monaco-editor's main entry, which bundles every language", async () => {
    const whole = await restrictedImports('renderer/src/editor/boundaryProbe.ts', "import * as monaco from 'monaco-editor';\nexport const y = monaco;");
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatch(/monacoApi/);
    const api = "import * as monaco from 'monaco-editor/editor/editor.api';\nexport const y = monaco;";
    expect(await restrictedImports('renderer/src/editor/boundaryProbe.ts', api)).toEqual([]);
  }, 60_000);

  it('fails common/ importing an environment, and the adapter importing a host', async () => {
    expect(await restrictedImports('common/boundaryProbe.ts', "import { x } from '../adapter/session';\nexport const y = x;")).toHaveLength(1);
    expect(await restrictedImports('adapter/boundaryProbe.ts', "import { x } from '../host/cli/cli';\nexport const y = x;")).toHaveLength(1);
    expect(await restrictedImports('host/boundaryProbe.ts', "import { app } from 'electron';\nexport const y = app;")).toHaveLength(1);
  }, 60_000);
});
