/**
 * "Debug Test" and "Debug Tests in File": a debug session running just that test with
 * `python -m pytest path::name` from the workspace folder (or the file's folder), or with
 * `python -m unittest module.Class.test` when pytest is not installed in that interpreter.
 * Output goes to the Debug Console; breakpoints and Apply Changes work as in any session.
 */
import type { DapperLaunchArguments } from '../../../common/launchConfig';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import type { FoundTest } from '../editor/testDiscovery';
import { baseName } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useSettingsStore } from '../stores/settingsStore';
import { isUnder, parentOf, relativePath, useWorkspaceStore } from '../stores/workspaceStore';
import { chosenInterpreter, startLaunch } from './sessionController';

/** The folder tests run from: the workspace folder holding the file, else the file's own folder. */
function testFolder(file: string): string {
  const folder = useWorkspaceStore.getState().folder;
  return folder && isUnder(file, folder) ? folder : parentOf(file);
}

function unittestModule(file: string, cwd: string): string {
  return relativePath(file, cwd).replace(/\.py$/, '').split('/').join('.');
}

/** Launch arguments for one test (or every test in the file when `test` is null). */
export function testLaunch(file: string, test: FoundTest | null, runner: 'pytest' | 'unittest', python: string): DapperLaunchArguments | string {
  const cwd = testFolder(file);
  const common = { cwd, python, console: 'internalConsole' as const, justMyCode: useSettingsStore.getState().settings.justMyCode };
  if (runner === 'pytest') {
    const target = relativePath(file, cwd) + (test ? `::${test.nodeName}` : '');
    return { ...common, module: 'pytest', args: [target] } as unknown as DapperLaunchArguments;
  }
  const module = unittestModule(file, cwd);
  if (test && !test.unittestName) {
    return `${test.nodeName} is a pytest-style test function, and pytest is not installed for ${python}. Install pytest for that interpreter (python -m pip install pytest).`;
  }
  const target = test?.unittestName ? `${module}.${test.unittestName}` : module;
  return { ...common, module: 'unittest', args: ['-v', target] } as unknown as DapperLaunchArguments;
}

export async function debugTest(file: string, test: FoundTest | null): Promise<void> {
  const cwd = testFolder(file);
  let runner;
  try {
    runner = await getBridge().invoke('tests.runner', chosenInterpreter(), cwd);
  } catch (error) {
    notify('error', `Could not run ${test ? test.nodeName : `the tests in ${baseName(file)}`}: ${errorText(error)}`);
    return;
  }
  const launch = testLaunch(file, test, runner.runner, runner.python);
  if (typeof launch === 'string') {
    notify('error', launch);
    return;
  }
  await startLaunch(launch);
}
