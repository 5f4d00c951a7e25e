/**
 * The part of monaco-editor the app uses: the editor and all its editing features, and only
 * the two languages the app opens — Python (Monarch highlighting) and JSON (launch.json and
 * settings, with its language worker). The package's main entry would also bundle some 80
 * other grammars and the TypeScript, CSS and HTML language services with their workers.
 * Every module of the app imports Monaco from here.
 */
import 'monaco-editor/features/register.all';
// What the package's full entry (editor/editor.main) adds to the features beyond them.
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/common/standaloneStrings';
import 'monaco-editor/editor/contrib/caretOperations/browser/caretOperations';
import 'monaco-editor/editor/contrib/dropOrPasteInto/browser/copyPasteContribution';
import 'monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus';
import 'monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands';
import 'monaco-editor/editor/contrib/semanticTokens/browser/documentSemanticTokens';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/languages/definitions/python/register';

export * from 'monaco-editor/editor/editor.api';
export * as json from 'monaco-editor/languages/features/json/register';
