/**
 * The Monaco editor instance. One editor, one model per open file (view state kept per
 * file, as VS Code does). Breakpoints live in the glyph margin: click toggles, right-click
 * edits condition / hit count / log message. While stopped, the context menu offers Run to
 * Cursor and Jump to Cursor.
 */
import { useEffect, useRef } from 'react';
import { getMonacoDocuments, monaco } from './monacoSetup';
import { planLineMarks, type LineMark } from './decorationPlan';
import { toggleBreakpoint } from '../session/breakpointSync';
import { useBreakpointStore } from '../stores/breakpointStore';
import { useEditorStore } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { isSessionActive, selectSelectedFrame, useSessionStore } from '../stores/sessionStore';
import { useUiStore } from '../stores/uiStore';
import { setCursorLineSource } from './cursorBreakpoint';
import { jumpToCursor, runToCursor } from '../session/cursorActions';

export function MonacoView() {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorationsRef = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const viewStates = useRef(new Map<string, monaco.editor.ICodeEditorViewState | null>());
  const shownPath = useRef<string | null>(null);
  const shownMarks = useRef<LineMark[]>([]);
  const stoppedKeyRef = useRef<monaco.editor.IContextKey<boolean> | null>(null);

  const activePath = useEditorStore((state) => state.activePath);
  const reveal = useEditorStore((state) => state.reveal);
  const breakpoints = useBreakpointStore((state) => state.breakpoints);
  const status = useSessionStore((state) => state.status);
  const framesByThread = useSessionStore((state) => state.framesByThread);
  const selectedThreadId = useSessionStore((state) => state.selectedThreadId);
  const selectedFrameId = useSessionStore((state) => state.selectedFrameId);
  // A child process's selected frame: its process's stack, whatever the launched program does.
  const childFocus = useProcessStore((state) => state.focus);
  const childFrames = useProcessStore((state) => state.processes.find((item) => item.sessionId === state.focus?.sessionId)?.frames);

  useEffect(() => {
    if (!containerRef.current) return;
    const editor = monaco.editor.create(containerRef.current, {
      model: null,
      theme: 'vs-dark',
      glyphMargin: true,
      automaticLayout: true,
      fontSize: 13,
      lineNumbersMinChars: 4,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      ariaLabel: 'Code editor',
    });
    editorRef.current = editor;
    decorationsRef.current = editor.createDecorationsCollection();
    setCursorLineSource(() => (editor.getModel() ? editor.getPosition()?.lineNumber ?? null : null));
    const mouse = editor.onMouseDown((event) => {
      const path = shownPath.current;
      const line = event.target.position?.lineNumber;
      if (!path || !line) return;
      const inGlyphMargin =
        event.target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN ||
        event.target.type === monaco.editor.MouseTargetType.GUTTER_LINE_DECORATIONS;
      if (!inGlyphMargin) return;
      if (event.event.rightButton) {
        event.event.preventDefault();
        useUiStore.getState().openBreakpointEditor({ path, line });
      } else if (event.event.leftButton) {
        void toggleBreakpoint(path, line);
      }
    });
    // Breakpoint decorations move with inserted or deleted lines; the store follows them.
    const edits = editor.onDidChangeModelContent(() => {
      const decorations = decorationsRef.current;
      if (!decorations) return;
      shownMarks.current.forEach((mark, index) => {
        const line = decorations.getRange(index)?.startLineNumber;
        if (mark.breakpointId && line !== undefined && line !== mark.line) {
          useBreakpointStore.getState().moveTo(mark.breakpointId, line);
        }
      });
    });
    // Run to Cursor / Jump to Cursor: in the context menu (and F1) while the selected frame's process is stopped.
    const stopped = editor.createContextKey<boolean>('dapperStopped', false);
    stoppedKeyRef.current = stopped;
    const cursorAction = (id: string, label: string, order: number, action: (path: string, line: number) => Promise<void>) =>
      editor.addAction({
        id,
        label,
        contextMenuGroupId: '0_debug',
        contextMenuOrder: order,
        precondition: 'dapperStopped',
        run: (target) => {
          const path = shownPath.current;
          const line = target.getPosition()?.lineNumber;
          if (path && line) void action(path, line);
        },
      });
    const actions = [
      cursorAction('dapper.runToCursor', 'Run to Cursor', 1, runToCursor),
      cursorAction('dapper.jumpToCursor', 'Jump to Cursor', 2, jumpToCursor),
    ];
    const contextMenu = editor.onContextMenu((event) => {
      if (event.target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN) event.event.preventDefault();
    });
    return () => {
      mouse.dispose();
      edits.dispose();
      contextMenu.dispose();
      actions.forEach((action) => action.dispose());
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    if (shownPath.current) viewStates.current.set(shownPath.current, editor.saveViewState());
    const model = activePath ? getMonacoDocuments().getModel(activePath) ?? null : null;
    editor.setModel(model);
    // A source served by the debugged program (DAP `source` request) is shown, never edited.
    editor.updateOptions({ readOnly: Boolean(activePath && useEditorStore.getState().files[activePath]?.readOnly) });
    shownPath.current = model ? activePath : null;
    if (model && activePath) {
      const state = viewStates.current.get(activePath);
      if (state) editor.restoreViewState(state);
    }
  }, [activePath]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal || reveal.path !== shownPath.current) return;
    editor.revealLineInCenterIfOutsideViewport(reveal.line, monaco.editor.ScrollType.Smooth);
    editor.setPosition({ lineNumber: reveal.line, column: 1 });
  }, [reveal, activePath]);

  useEffect(() => {
    // A selected child process's frame is a stopped one: the cursor actions work in that process.
    stoppedKeyRef.current?.set(status === 'stopped' || childFocus !== null);
  }, [status, childFocus]);

  useEffect(() => {
    const decorations = decorationsRef.current;
    if (!decorations) return;
    const path = shownPath.current;
    if (!path) {
      shownMarks.current = [];
      decorations.clear();
      return;
    }
    const stoppedFrames = selectedThreadId !== null ? framesByThread[selectedThreadId] ?? [] : [];
    const marks = planLineMarks({
      path,
      breakpoints,
      sessionActive: isSessionActive(status),
      ...(childFocus && childFrames
        ? { topFrame: childFrames[0] ?? null, selectedFrame: childFrames.find((frame) => frame.id === childFocus.frameId) ?? null }
        : {
            topFrame: status === 'stopped' ? stoppedFrames[0] ?? null : null,
            selectedFrame: status === 'stopped' ? selectSelectedFrame({ framesByThread, selectedThreadId, selectedFrameId }) : null,
          }),
    });
    shownMarks.current = marks;
    const model = editorRef.current?.getModel();
    decorations.set(marks.map((mark) => toDecoration(mark, model)));
  }, [activePath, breakpoints, status, framesByThread, selectedThreadId, selectedFrameId, childFocus, childFrames]);

  return <div className="monaco-host" ref={containerRef} data-testid="code-editor" />;
}

function toDecoration(mark: LineMark, model: monaco.editor.ITextModel | null | undefined): monaco.editor.IModelDeltaDecoration {
  // The whole line, so Enter at its start carries the breakpoint down with the text.
  const line = model ? Math.min(mark.line, model.getLineCount()) : mark.line;
  const range = new monaco.Range(line, 1, line, model ? model.getLineMaxColumn(line) : 1);
  if (mark.kind === 'current-line' || mark.kind === 'selected-frame-line') {
    return {
      range,
      options: {
        isWholeLine: true,
        className: mark.kind,
        glyphMarginClassName:
          mark.kind === 'selected-frame-line'
            ? 'glyph-selected-frame'
            : mark.onBreakpoint
              ? 'glyph-current-line-on-breakpoint'
              : 'glyph-current-line',
        glyphMarginHoverMessage: { value: mark.hover },
        stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        overviewRuler: { color: '#ffcc00', position: monaco.editor.OverviewRulerLane.Full },
        zIndex: 2,
      },
    };
  }
  return {
    range,
    options: {
      glyphMarginClassName: `glyph-${mark.kind}`,
      glyphMarginHoverMessage: { value: mark.hover },
      stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
      zIndex: 1,
    },
  };
}
