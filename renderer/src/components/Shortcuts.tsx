import { Fragment, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import './polish.css';

export const useShortcuts = create<{ open: boolean }>(() => ({ open: false }));
export const openShortcuts = () => useShortcuts.setState({ open: true });

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

/** Key caps (not translated: keyboards print them this way in every language) and what they do. */
const GROUPS: { id: string; rows: { keys: string[][]; action: string }[] }[] = [
  {
    id: 'writing',
    rows: [
      { keys: [['Enter']], action: 'send' },
      { keys: [['Shift', 'Enter']], action: 'newline' },
      { keys: [['Esc']], action: 'stop' },
    ],
  },
  {
    id: 'anywhere',
    rows: [
      { keys: [[MOD, 'N']], action: 'newChat' },
      { keys: [[MOD, 'K']], action: 'search' },
      { keys: [['?'], ['F1']], action: 'help' },
      { keys: [['Esc']], action: 'close' },
    ],
  },
  {
    id: 'editing',
    rows: [
      { keys: [['Enter']], action: 'editSend' },
      { keys: [['Esc']], action: 'editCancel' },
    ],
  },
  {
    id: 'lists',
    rows: [
      { keys: [['↑'], ['↓']], action: 'move' },
      { keys: [['Enter']], action: 'choose' },
    ],
  },
];

/** Typing "?" in a text field is text, not a request for help. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * The dialog listing every keyboard shortcut, opened with ? or F1 anywhere (outside text fields),
 * from the conversation menu, or from Settings → About.
 */
export function ShortcutsDialog() {
  const { t } = useTranslation();
  const open = useShortcuts((s) => s.open);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'F1' || (e.key === '?' && !typing(e.target))) {
        e.preventDefault();
        openShortcuts();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
      <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={() => useShortcuts.setState({ open: false })}>
        <header>
          <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
          <button type="button" onClick={() => useShortcuts.setState({ open: false })}>
            {t('shortcuts.close')}
          </button>
        </header>
        {GROUPS.map((g) => (
          <table key={g.id} aria-label={t(`shortcuts.groups.${g.id}`)}>
            <caption>{t(`shortcuts.groups.${g.id}`)}</caption>
            <tbody>
              {g.rows.map((r) => (
                <tr key={r.action}>
                  <th scope="row">
                    {r.keys.map((combo, i) => (
                      <Fragment key={i}>
                        {i > 0 && <span className="or">{t('shortcuts.or')}</span>}
                        {combo.map((k, j) => (
                          <Fragment key={j}>
                            {j > 0 && '+'}
                            <kbd>{k}</kbd>
                          </Fragment>
                        ))}
                      </Fragment>
                    ))}
                  </th>
                  <td>{t(`shortcuts.actions.${r.action}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
        <p className="muted">{t('shortcuts.ime')}</p>
      </dialog>
  );
}
