import { describe, expect, it } from 'vitest';
import { findTests, isTestFile } from '../src/editor/testDiscovery';
import { fuzzyFilter } from '../src/session/fuzzyMatch';
import { visibleItems } from '../src/components/ExplorerView';

describe('test discovery', () => {
  it('finds pytest functions, Test* class methods and unittest.TestCase methods, nothing else', () => {
    const source = [
      'import unittest',
      '',
      'def helper():',
      '    def test_inner():',
      '        pass',
      '',
      'def test_top():',
      '    assert helper() is None',
      '',
      'async def test_async():',
      '    pass',
      '',
      'class TestPrices:',
      '    def test_total(self):',
      '        def test_nested_helper():',
      '            pass',
      '    def helper(self):',
      '        pass',
      '',
      'class Checks(unittest.TestCase):',
      '    def test_equal(self):',
      '        self.assertEqual(1, 1)',
      '',
      'class Helper:',
      '    def test_not_collected(self):',
      '        pass',
      '',
      'test_value = 3',
    ].join('\n');
    expect(findTests(source)).toEqual([
      { nodeName: 'test_top', unittestName: null, line: 7 },
      { nodeName: 'test_async', unittestName: null, line: 10 },
      { nodeName: 'TestPrices::test_total', unittestName: null, line: 14 },
      { nodeName: 'Checks::test_equal', unittestName: 'Checks.test_equal', line: 21 },
    ]);
  });

  it("recognises pytest's and unittest's test file names", () => {
    expect(isTestFile('/p/tests/test_prices.py')).toBe(true);
    expect(isTestFile('/p/prices_test.py')).toBe(true);
    expect(isTestFile('/p/prices.py')).toBe(false);
    expect(isTestFile('/p/test_data.json')).toBe(false);
  });
});

describe('Quick Open matching', () => {
  const files = ['/w/src/main.py', '/w/some/other/module_ain.py', '/w/tests/test_main.py', '/w/README.md'];
  it('keeps files whose path holds the query in order, best matches in the file name first', () => {
    expect(fuzzyFilter('main', files, '/w').map((match) => match.relative)).toEqual([
      'src/main.py', 'tests/test_main.py', 'some/other/module_ain.py',
    ]);
    expect(fuzzyFilter('tmain', files, '/w')[0].relative).toBe('tests/test_main.py');
    expect(fuzzyFilter('xyz', files, '/w')).toEqual([]);
  });
});

describe('Explorer rows', () => {
  it('shows the entries of expanded folders only, with their level and position', () => {
    const listings = {
      '/w': { state: 'loaded' as const, entries: [{ name: 'pkg', path: '/w/pkg', kind: 'folder' as const }, { name: 'a.py', path: '/w/a.py', kind: 'file' as const }] },
      '/w/pkg': { state: 'loaded' as const, entries: [{ name: 'b.py', path: '/w/pkg/b.py', kind: 'file' as const }] },
    };
    expect(visibleItems('/w', listings, {}).map((row) => row.entry.name)).toEqual(['pkg', 'a.py']);
    const open = visibleItems('/w', listings, { '/w/pkg': true });
    expect(open.map((row) => [row.entry.name, row.level, row.position, row.setSize])).toEqual([
      ['pkg', 1, 1, 2], ['b.py', 2, 1, 1], ['a.py', 1, 2, 2],
    ]);
  });
});
