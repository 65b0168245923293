import { useMemo, useState, type KeyboardEvent } from 'react';
import { useStore } from '../../store/index.ts';
import { allCommands, type Command } from './actions.ts';

/** Ctrl+Shift+P: every action with its shortcut; type to filter, Enter runs, Escape closes. */
export function CommandPalette() {
  const open = useStore((s) => s.paletteOpen);
  if (!open) return null;
  return <Palette />;
}

function Palette() {
  const setOpen = useStore((s) => s.setPaletteOpen);
  // The list is taken when the palette opens: the selected node then is what node actions act on.
  const [commands] = useState<Command[]>(() => allCommands(useStore.getState()));
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
  }, [commands, query]);

  const run = (command: Command | undefined) => {
    if (!command || command.disabled) return;
    setOpen(false);
    command.run();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((i) => Math.min(shown.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter') run(shown[active]);
    else if (e.key === 'Escape') setOpen(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          className="palette__input"
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={shown[active] ? `palette-${shown[active]!.id}` : undefined}
          aria-label="Type a command"
          placeholder="Type a command"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id="palette-list" className="palette__list" role="listbox" aria-label="Commands">
          {shown.map((command, i) => (
            <li
              key={command.id}
              id={`palette-${command.id}`}
              role="option"
              aria-selected={i === active}
              aria-disabled={command.disabled || undefined}
              className={`palette__item${i === active ? ' is-active' : ''}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(command)}
            >
              <span>{command.label}</span>
              {command.shortcut ? <kbd>{command.shortcut}</kbd> : null}
            </li>
          ))}
          {shown.length === 0 ? <li className="palette__empty">No command matches “{query}”.</li> : null}
        </ul>
      </div>
    </div>
  );
}
