// The searchable palette of every layer kind (from layers.json). Drag an entry onto the canvas,
// click it, or pick it with the arrow keys and Enter: the layer is added after the selected one
// (or at the end of the model).
import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { categoryLabels, filterPalette, paletteEntries, type PaletteEntry } from '../logic/palette';
import { useElementEvent } from './elements';

export const KIND_MIME = 'application/x-layerwise-kind';

const allEntries = paletteEntries();

export function Palette(props: { query: string; onQuery: (q: string) => void; onAdd: (kind: string) => void }) {
  const entries = useMemo(() => filterPalette(allEntries, props.query), [props.query]);
  const [active, setActive] = useState(0);
  const search = useRef<HTMLElement>(null);
  const activeIndex = Math.min(active, Math.max(0, entries.length - 1));
  // The field owns its text after the first render (only a restored query is written into it):
  // writing React's copy back on every render raced fast typing and dropped keys.
  useEffect(() => {
    if (search.current) (search.current as HTMLInputElement).value = props.query;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useElementEvent(search, 'input', (el) => {
    props.onQuery((el as HTMLInputElement).value);
    setActive(0);
  });

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, Math.min(entries.length - 1, Math.min(i, entries.length - 1) + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && entries[activeIndex]) {
      e.preventDefault();
      props.onAdd(entries[activeIndex].kind);
      // The query stays, selected, so the next kind is typed straight over it. (Ctrl+A would do,
      // but in a browser-hosted VS Code it selects twice, the second time asynchronously through
      // the workbench, over whatever was typed in between.)
      (search.current as { wrappedElement?: HTMLInputElement } | null)?.wrappedElement?.select();
    }
  };

  const onDragStart = (e: DragEvent, entry: PaletteEntry) => {
    e.dataTransfer.setData(KIND_MIME, entry.kind);
    e.dataTransfer.setData('text/plain', entry.kind);
    e.dataTransfer.effectAllowed = 'copy';
  };

  let lastCategory = '';
  return (
    <aside className="palette" aria-label="Layer palette" onKeyDown={onKeyDown}>
      <vscode-textfield
        ref={search}
        className="palette-search"
        placeholder="Search layers (Enter adds)"
        aria-label="Search layer kinds; arrow keys pick, Enter adds the layer"
        aria-controls="palette-list"
        aria-activedescendant={entries[activeIndex] ? `palette-${entries[activeIndex].kind}` : undefined}
      />
      <div id="palette-list" className="palette-list" role="listbox" aria-label="Layer kinds">
        {entries.length === 0 && <div className="palette-empty">No layer kind matches “{props.query}”.</div>}
        {entries.map((entry, i) => {
          const heading = props.query.trim() === '' && entry.category !== lastCategory ? categoryLabels[entry.category] : undefined;
          lastCategory = entry.category;
          return (
            <div key={entry.kind}>
              {heading && <div className="palette-heading" role="presentation">{heading}</div>}
              <div
                id={`palette-${entry.kind}`}
                className={`palette-item cat-${entry.category}${i === activeIndex ? ' is-active' : ''}`}
                role="option"
                aria-selected={i === activeIndex}
                aria-label={`${entry.kind}: ${entry.doc}`}
                title={entry.doc}
                draggable
                data-kind={entry.kind}
                onDragStart={(e) => onDragStart(e, entry)}
                onClick={() => {
                  setActive(i);
                  props.onAdd(entry.kind);
                }}
              >
                <span className="palette-kind">{entry.kind}</span>
                <span className="palette-doc">{entry.doc}</span>
              </div>
            </div>
          );
        })}
      </div>
    </aside>
  );
}
