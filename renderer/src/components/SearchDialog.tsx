import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../electron/contract/index.ts';
import { call, errorInfo } from '../bridge/index.ts';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';

/** The snippet with each occurrence of the first search word marked (as React text, never HTML). */
function highlight(text: string, word: string): ReactNode[] {
  if (!word) return [text];
  const out: ReactNode[] = [];
  const lower = text.toLowerCase();
  const w = word.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(w); at >= 0 && out.length < 40; at = lower.indexOf(w, from)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(<mark key={at}>{text.slice(at, at + w.length)}</mark>);
    from = at + w.length;
  }
  out.push(text.slice(from));
  return out;
}

/** Ctrl/Cmd+K: search titles and messages of every conversation; Enter opens the chosen one. */
export function SearchDialog() {
  const { t } = useTranslation();
  const open = useChat((s) => s.searchOpen);
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const uid = useId();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [state, setState] = useState<'idle' | 'searching' | 'done' | 'failed'>('idle');
  const [active, setActive] = useState(0);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // showModal focuses the first control (the close button); typing should start at once.
      input.current?.focus();
      input.current?.select();
    }
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let current = true;
    const id = setTimeout(() => {
      call('conversations.search', { query: q.slice(0, 200), limit: 50 })
        .then((r) => {
          if (!current) return;
          setHits(r);
          setActive(0);
          setState('done');
        })
        .catch((err: unknown) => {
          if (!current) return;
          setHits([]);
          setState('failed');
          useChat.setState({ sendError: errorInfo(err) });
        });
    }, 150);
    return () => {
      current = false;
      clearTimeout(id);
    };
  }, [query]);

  const close = () => useChat.getState().setSearchOpen(false);
  const choose = (h: SearchHit | undefined) => {
    if (!h) return;
    close();
    useApp.getState().go('chat');
    void useChat.getState().open(h.conversationId, h.messageId);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Escape') {
      // A search field would only clear itself on Esc; here Esc closes the dialog.
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + hits.length) % hits.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(hits[active]);
    }
  };

  const firstWord = query.trim().split(/\s+/)[0] ?? '';
  const optionId = (i: number) => `${uid}-hit-${i}`;

  return (
    <dialog ref={ref} className="search-dialog" aria-labelledby={`${uid}-title`} onClose={close} onCancel={close}>
      {open && (
        <>
          <div className="search-head">
            <h2 id={`${uid}-title`}>{t('conversations.search.title')}</h2>
            <button type="button" className="icon" aria-label={t('conversations.search.close')} onClick={close}>
              ×
            </button>
          </div>
          <input
            type="search"
            role="combobox"
            aria-label={t('conversations.search.label')}
            aria-expanded={hits.length > 0}
            aria-controls={`${uid}-results`}
            aria-autocomplete="list"
            aria-activedescendant={hits.length ? optionId(active) : undefined}
            placeholder={t('conversations.search.placeholder')}
            value={query}
            maxLength={200}
            ref={input}
            onChange={(e) => {
              setQuery(e.target.value);
              if (e.target.value.trim()) setState('searching');
              else {
                setHits([]);
                setState('idle');
              }
            }}
            onKeyDown={onKeyDown}
          />
          <p className="search-state" role="status">
            {state === 'searching'
              ? t('conversations.search.searching')
              : state === 'done' && !hits.length
                ? t('conversations.search.none')
                : state === 'failed'
                  ? t('conversations.search.failed')
                  : state === 'done'
                    ? t('conversations.search.count', { count: hits.length })
                    : t('conversations.search.hint')}
          </p>
          <ul id={`${uid}-results`} role="listbox" aria-label={t('conversations.search.results')} className="search-results">
            {hits.map((h, i) => (
              <li
                key={`${h.conversationId}-${h.messageId ?? 'title'}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(h)}
              >
                <span className="hit-title">{highlight(h.title || t('sidebar.untitled'), h.messageId ? '' : firstWord)}</span>
                <span className="hit-where">{h.messageId === null ? t('conversations.search.titleMatch') : h.role === 'user' ? t('chat.you') : t('chat.assistant')}</span>
                {h.snippet && <span className="hit-snippet">{highlight(h.snippet, firstWord)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </dialog>
  );
}
