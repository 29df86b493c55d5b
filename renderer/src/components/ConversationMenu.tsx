import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError } from '../../../electron/contract/index.ts';
import { call, errorInfo } from '../bridge/index.ts';
import { useChat } from '../stores/chat.ts';
import { saveDownload, stageFile } from './files.ts';
import { openShortcuts } from './Shortcuts.tsx';
import { TransferError } from './TransferError.tsx';
import { useMenuButton } from './useMenuButton.ts';
import './polish.css';

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; error: KaiwaError };

/**
 * The chat header's "⋯" menu: export the open conversation (Markdown to read, Kaiwa JSON to keep
 * every version) and import a Kaiwa JSON file as a new conversation. A menu button as the ARIA
 * pattern describes it: arrow keys move, Esc closes and gives focus back.
 */
export function ConversationMenu() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const hasMessages = useChat((s) => s.messages.length > 0);
  const { open, setOpen, button, menu, onKeyDown: onMenuKey } = useMenuButton<HTMLUListElement>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const menuId = useId();
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (outcome?.kind !== 'ok') return;
    const timer = setTimeout(() => setOutcome(null), 6000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const run = async (fn: () => Promise<string>) => {
    setOpen(false);
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'ok', text: await fn() });
    } catch (err) {
      setOutcome({ kind: 'error', error: errorInfo(err) });
    } finally {
      setBusy(false);
      button.current?.focus();
    }
  };

  const exportAs = (format: 'markdown' | 'json') =>
    run(async () => {
      const file = await call('conversations.export', {
        id: conversation!.id,
        format,
        labels: {
          user: t('chat.you'),
          assistant: t('chat.assistant'),
          thinking: t('transfer.thinking'),
          systemPrompt: t('transfer.systemPrompt'),
          untitled: t('sidebar.untitled'),
          tool: t('transfer.tool'),
          toolArguments: t('transfer.toolArguments'),
          toolResult: t('transfer.toolResult'),
        },
      });
      saveDownload(file);
      return t('transfer.exported', { file: file.filename });
    });

  const importFile = (file: File) =>
    run(async () => {
      const { conversation: imported, messages } = await call('conversations.import', { uploadId: await stageFile(file) });
      await useChat.getState().loadList();
      await useChat.getState().open(imported.id);
      return t('transfer.imported', { title: imported.title || t('sidebar.untitled'), count: messages });
    });

  const pickFile = () => {
    setOpen(false);
    fileInput.current?.click();
  };

  return (
    <div className="conv-menu">
      <button
        ref={button}
        type="button"
        className="icon"
        aria-label={t('transfer.menu')}
        title={t('transfer.menu')}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-busy={busy}
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open && (
        <ul ref={menu} id={menuId} role="menu" aria-label={t('transfer.menu')} onKeyDown={onMenuKey}>
          <MenuItem label={t('transfer.exportMarkdown')} onClick={() => void exportAs('markdown')} disabled={!conversation || !hasMessages} />
          <MenuItem label={t('transfer.exportJson')} onClick={() => void exportAs('json')} disabled={!conversation || !hasMessages} />
          <li role="separator" />
          <MenuItem label={t('transfer.import')} onClick={pickFile} />
          <li role="separator" />
          <MenuItem
            label={t('shortcuts.title')}
            hint="?"
            onClick={() => {
              setOpen(false);
              openShortcuts();
            }}
          />
        </ul>
      )}
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label={t('transfer.importFile')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
      {outcome && (
        <div className={`conv-menu-outcome ${outcome.kind}`}>
          {outcome.kind === 'ok' ? <p role="status">{outcome.text}</p> : <TransferError error={outcome.error} onDismiss={() => setOutcome(null)} />}
        </div>
      )}
    </div>
  );
}

function MenuItem({ label, hint, onClick, disabled = false }: { label: string; hint?: string; onClick: () => void; disabled?: boolean }) {
  return (
    <li role="none">
      <button type="button" role="menuitem" disabled={disabled} onClick={onClick}>
        {label}
        {hint && <kbd aria-hidden="true">{hint}</kbd>}
      </button>
    </li>
  );
}
