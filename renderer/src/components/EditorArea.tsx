/** Tabs, the Monaco editor (kept mounted so its state survives), the welcome view when empty. */
import { EditorTabs } from './EditorTabs';
import { BreakpointEditorHost } from './BreakpointEditor';
import { OpenPathBox } from './OpenPathBox';
import { WelcomeView } from './WelcomeView';
import { ExternalChangeBanner } from './ExternalChangeBanner';
import { MonacoView } from '../editor/MonacoView';
import { useEditorStore } from '../stores/editorStore';
import { useUiStore } from '../stores/uiStore';

export function EditorArea() {
  const hasFiles = useEditorStore((state) => state.order.length > 0);
  const openPathVisible = useUiStore((state) => state.openPathVisible);
  const openPathKind = useUiStore((state) => state.openPathKind);
  return (
    <main className="editor-area" aria-label="Editor">
      {hasFiles ? <EditorTabs /> : null}
      {openPathVisible && (hasFiles || openPathKind === 'folder') ? <OpenPathBox autoFocus kind={openPathKind} key={openPathKind} /> : null}
      {hasFiles ? <ExternalChangeBanner /> : null}
      <BreakpointEditorHost />
      <div className="editor-stack" hidden={!hasFiles}>
        <MonacoView />
      </div>
      {hasFiles ? null : <WelcomeView />}
    </main>
  );
}
