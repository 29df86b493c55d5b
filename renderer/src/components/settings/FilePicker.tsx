import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A file field in the UI language: the browser's own file input says "Choose File / No file chosen"
 * in the browser's language, whatever Kaiwa's is. The real input stays, hidden, behind the button.
 */
export function FilePicker({ label, accept, file, disabled, onPick }: { label: string; accept: string; file: File | null; disabled?: boolean; onPick: (file: File) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="field">
      <span id={`${id}-label`}>{label}</span>
      <div className="file-picker">
        <button type="button" id={`${id}-button`} aria-labelledby={`${id}-label ${id}-button`} aria-describedby={`${id}-name`} disabled={disabled} onClick={() => input.current?.click()}>
          {t('transfer.chooseFile')}
        </button>
        <span id={`${id}-name`} className={file ? 'file-name' : 'file-name muted'}>
          {file ? file.name : t('transfer.noFile')}
        </span>
      </div>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        tabIndex={-1}
        onChange={(e) => {
          const picked = e.target.files?.[0];
          // Cleared, so choosing the same file again still counts as a choice.
          e.target.value = '';
          if (picked) onPick(picked);
        }}
      />
    </div>
  );
}
