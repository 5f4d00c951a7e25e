/**
 * Code lenses in test files: "Debug Tests in File" on the first line and "Debug Test" above
 * each test function or method (see testDiscovery.ts for what counts as a test).
 */
import * as monaco from './monacoApi';
import { debugTest } from '../session/testRuns';
import { findTests, isTestFile, type FoundTest } from './testDiscovery';

const DEBUG_TEST_COMMAND = 'dapper.debugTest';

export function registerTestCodeLenses(pathOf: (model: monaco.editor.ITextModel) => string | null): monaco.IDisposable {
  const command = monaco.editor.registerCommand(DEBUG_TEST_COMMAND, (_accessor, file: string, test: FoundTest | null) => {
    void debugTest(file, test);
  });
  const provider = monaco.languages.registerCodeLensProvider('python', {
    provideCodeLenses(model) {
      const file = pathOf(model);
      if (!file || !isTestFile(file)) return { lenses: [], dispose: () => undefined };
      const tests = findTests(model.getValue());
      if (tests.length === 0) return { lenses: [], dispose: () => undefined };
      const lens = (line: number, title: string, test: FoundTest | null): monaco.languages.CodeLens => ({
        range: new monaco.Range(line, 1, line, 1),
        command: { id: DEBUG_TEST_COMMAND, title, arguments: [file, test] },
      });
      return {
        lenses: [lens(1, 'Debug Tests in File', null), ...tests.map((test) => lens(test.line, 'Debug Test', test))],
        dispose: () => undefined,
      };
    },
  });
  return {
    dispose() {
      command.dispose();
      provider.dispose();
    },
  };
}
