import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  label: string;
  /** Shown at the right, e.g. "F5". */
  shortcut?: string;
  disabled?: boolean;
  run(): void;
}

/** A separator between groups of items. */
export type MenuEntry = MenuItem | 'separator';

export interface MenuRequest {
  x: number;
  y: number;
  label: string;
  entries: MenuEntry[];
}

/**
 * A context menu, opened by right-click or from the keyboard (Shift+F10, the Menu key): role=menu, arrows move,
 * Enter runs, Escape closes and gives focus back to where it was.
 */
export function ContextMenu({ request, onClose }: { request: MenuRequest; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const items = request.entries.filter((e): e is MenuItem => e !== 'separator');
  const [active, setActive] = useState(() => items.findIndex((i) => !i.disabled));
  const [position, setPosition] = useState({ left: request.x, top: request.y });
  const returnFocus = useRef<Element | null>(document.activeElement);

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    // Keep the menu inside the window.
    const { width, height } = menu.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(request.x, window.innerWidth - width - 4)),
      top: Math.max(4, Math.min(request.y, window.innerHeight - height - 4)),
    });
    menu.focus();
  }, [request.x, request.y]);

  useEffect(() => {
    const focusBack = returnFocus.current;
    const away = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', away, true);
      window.removeEventListener('blur', onClose);
      if (focusBack instanceof HTMLElement) focusBack.focus();
    };
  }, [onClose]);

  const move = (from: number, step: number) => {
    for (let i = 1; i <= items.length; i++) {
      const next = (from + step * i + items.length * i) % items.length;
      if (!items[next]!.disabled) return setActive(next);
    }
  };

  const run = (item: MenuItem | undefined) => {
    if (!item || item.disabled) return;
    onClose();
    item.run();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        move(active, 1);
        break;
      case 'ArrowUp':
        move(active, -1);
        break;
      case 'Home':
        move(-1, 1);
        break;
      case 'End':
        move(items.length, -1);
        break;
      case 'Enter':
      case ' ':
        run(items[active]);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  // Each item's place among the items (separators do not count), for the keyboard's active index.
  const itemIndex = new Map(items.map((item, i) => [item, i]));
  return createPortal(
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={request.label}
      tabIndex={-1}
      style={position}
      aria-activedescendant={active >= 0 ? `context-menu-item-${active}` : undefined}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {request.entries.map((entry, i) => {
        if (entry === 'separator') return <div key={`sep-${i}`} className="context-menu__separator" role="separator" />;
        const mine = itemIndex.get(entry)!;
        return (
          <div
            key={entry.label}
            id={`context-menu-item-${mine}`}
            role="menuitem"
            aria-disabled={entry.disabled || undefined}
            className={`context-menu__item${mine === active ? ' is-active' : ''}`}
            onMouseEnter={() => !entry.disabled && setActive(mine)}
            onClick={() => run(entry)}
          >
            <span>{entry.label}</span>
            {entry.shortcut ? <kbd className="context-menu__shortcut">{entry.shortcut}</kbd> : null}
          </div>
        );
      })}
    </div>,
    document.body,
  );
}

/** Whether a key press asks for the context menu: Shift+F10 or the Menu key. */
export function isMenuKey(e: { key: string; shiftKey: boolean }): boolean {
  return e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey);
}
