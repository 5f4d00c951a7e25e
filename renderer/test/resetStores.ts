/** Puts every store back to its first state so tests do not leak into each other. */
import { DEFAULT_EXCEPTION_FILTERS, useBreakpointStore } from '../src/stores/breakpointStore';
import { useConsoleStore } from '../src/stores/consoleStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';
import { useSettingsStore } from '../src/stores/settingsStore';
import { useVariablesStore } from '../src/stores/variablesStore';
import { useWatchStore } from '../src/stores/watchStore';
import { useNoticeStore } from '../src/stores/noticeStore';
import { forgetAllSessions } from '../src/session/sessions';
import { stopApplyHints } from '../src/session/applyHint';
import { useProcessStore } from '../src/stores/processStore';
import { InMemoryDocumentHost, setDocumentHost } from '../src/editor/documentHost';
import { DEFAULT_SETTINGS } from '../../common/bridge';
import { CURRENT_FILE, useWorkspaceStore } from '../src/stores/workspaceStore';
import { useExternalChangeStore } from '../src/stores/externalChangeStore';
import { useUiStore } from '../src/stores/uiStore';

export function resetStores(): InMemoryDocumentHost {
  forgetAllSessions();
  stopApplyHints();
  useProcessStore.setState({ processes: [], focus: null });
  const documents = new InMemoryDocumentHost();
  setDocumentHost(documents);
  useBreakpointStore.setState({ breakpoints: [], exceptionFilters: DEFAULT_EXCEPTION_FILTERS });
  useConsoleStore.getState().clear();
  useConsoleStore.setState({ history: [], inputMode: 'evaluate' });
  useEditorStore.setState({ files: {}, order: [], activePath: null, reveal: null, loadedPaths: {}, diagnostics: {} });
  useSessionStore.setState({
    status: 'idle', sessionId: null, program: null, capabilities: {}, threads: [], framesByThread: {},
    selectedThreadId: null, selectedFrameId: null, stopReason: null, stopDescription: null, staleFrameIds: [],
    pythonInfo: null, exitCode: null, applying: false, lastApply: null, error: null, continuePastEntry: false,
  });
  useSettingsStore.setState({ settings: DEFAULT_SETTINGS, appInfo: null, loaded: false });
  useVariablesStore.setState({ scopeKeys: [], nodes: {}, children: {}, loading: {}, errors: {}, expanded: {} });
  useWatchStore.setState({ expressions: [] });
  useNoticeStore.setState({ notices: [] });
  useWorkspaceStore.setState({ folder: null, listings: {}, expanded: {}, launch: null, launchChoice: CURRENT_FILE });
  useExternalChangeStore.setState({ conflicts: {} });
  useUiStore.setState({ quickOpenVisible: false, openPathVisible: false, openPathKind: 'file' });
  return documents;
}
