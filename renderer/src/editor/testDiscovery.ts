/**
 * Finds the tests in a Python file the way pytest and unittest collect them: functions named
 * `test*` at the top level, and `test*` methods of classes named `Test*` (pytest) or deriving
 * from a `TestCase` (unittest). A line scanner is enough: test definitions are statements at
 * a fixed indentation, and the file need not be valid Python while it is being edited.
 */
export interface FoundTest {
  /** pytest node id relative to the file: `test_x` or `TestClass::test_x`. */
  readonly nodeName: string;
  /** unittest name relative to the module: `TestClass.test_x` (null for a bare function). */
  readonly unittestName: string | null;
  readonly line: number;
}

/** pytest's default file patterns (test_*.py, *_test.py) and unittest's (test*.py). */
export function isTestFile(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? '';
  return /^test.*\.py$/.test(name) || /_test\.py$/.test(name);
}

interface OpenClass {
  readonly name: string;
  readonly indent: number;
  readonly isTestClass: boolean;
  readonly isTestCase: boolean;
  methodIndent: number | null;
}

const DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;
const CLASS = /^(\s*)class\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*:/;

export function findTests(text: string): FoundTest[] {
  const tests: FoundTest[] = [];
  const classes: OpenClass[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.trim() || /^\s*#/.test(line)) return;
    const indent = line.length - line.trimStart().length;
    while (classes.length && indent <= classes[classes.length - 1].indent) classes.pop();
    const cls = CLASS.exec(line);
    if (cls) {
      const bases = cls[3] ?? '';
      const parent = classes[classes.length - 1];
      classes.push({
        name: parent ? `${parent.name}::${cls[2]}` : cls[2],
        indent,
        isTestClass: /^Test/.test(cls[2]) && (!parent || parent.isTestClass),
        isTestCase: /\bTestCase\b/.test(bases),
        methodIndent: null,
      });
      return;
    }
    const def = DEF.exec(line);
    if (!def || !/^test/.test(def[2])) return;
    const owner = classes[classes.length - 1];
    if (!owner) {
      if (indent === 0) tests.push({ nodeName: def[2], unittestName: null, line: index + 1 });
      return;
    }
    owner.methodIndent ??= indent;
    if (indent !== owner.methodIndent || !(owner.isTestClass || owner.isTestCase)) return;
    tests.push({
      nodeName: `${owner.name}::${def[2]}`,
      unittestName: owner.isTestCase && !owner.name.includes('::') ? `${owner.name}.${def[2]}` : null,
      line: index + 1,
    });
  });
  return tests;
}
