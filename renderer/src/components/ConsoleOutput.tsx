/**
 * The Debug Console's output list: virtualized (only visible rows are in the DOM) so a
 * flood of output stays responsive, ANSI colours rendered with anser, stdout and stderr
 * styled apart, and it follows the end unless the user scrolled up.
 */
import { memo, useEffect, useRef } from 'react';
import Anser from 'anser';
import { useVirtualizer } from '@tanstack/react-virtual';
import { openFile } from '../session/fileActions';
import { useConsoleStore, type ConsoleLine } from '../stores/consoleStore';
import { useEditorStore } from '../stores/editorStore';
import { findTracebackLocation } from './tracebackLinks';

const ROW_HEIGHT = 18;

export function ConsoleOutput() {
  const lines = useConsoleStore((state) => state.lines);
  const trimmed = useConsoleStore((state) => state.trimmedLines);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 800, height: 400 },
  });

  useEffect(() => {
    if (following.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, virtualizer]);

  return (
    <div
      ref={scrollRef}
      className="console-output"
      role="log"
      aria-label="Debug Console output"
      aria-live="off"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT * 2;
      }}
    >
      {trimmed > 0 ? <div className="console-trimmed">{trimmed.toLocaleString()} older lines were dropped to keep the console responsive.</div> : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index];
          return line ? (
            <div
              key={line.id}
              className={`console-line ${line.category}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <ConsoleText line={line} />
            </div>
          ) : null;
        })}
      </div>
    </div>
  );
}

const ConsoleText = memo(function ConsoleText({ line }: { readonly line: ConsoleLine }) {
  const location = findTracebackLocation(line.text);
  if (location) {
    const { before, link, after, path, lineNumber } = location;
    return (
      <>
        {before}
        <a
          href="#"
          className="console-link"
          title={`Open ${path} at line ${lineNumber}`}
          onClick={(event) => {
            event.preventDefault();
            void openFile(path).then((opened) => opened && useEditorStore.getState().requestReveal(path, lineNumber));
          }}
        >
          {link}
        </a>
        {after}
      </>
    );
  }
  if (!line.text.includes('\u001b[')) return <>{line.text || ' '}</>;
  return (
    <>
      {Anser.ansiToJson(line.text, { json: true, remove_empty: true }).map((part, index) => (
        <span
          key={index}
          style={{
            color: part.fg ? `rgb(${part.fg})` : undefined,
            backgroundColor: part.bg ? `rgb(${part.bg})` : undefined,
            fontWeight: part.decorations.includes('bold') ? 'bold' : undefined,
            fontStyle: part.decorations.includes('italic') ? 'italic' : undefined,
            textDecoration: part.decorations.includes('underline') ? 'underline' : undefined,
          }}
        >
          {part.content}
        </span>
      ))}
    </>
  );
});
