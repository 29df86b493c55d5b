// Error boundaries. One answer the renderer cannot draw, or a bug in one view, must not leave the
// window empty: a failing message shows its text as written and keeps its actions, a failing view
// shows what happened next to a sidebar that still works. React only offers this as a class.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import '../styles/safety.css';

interface GuardProps {
  /** What to show instead; `retry` renders the children again. */
  fallback: (error: Error, retry: () => void) => ReactNode;
  /** A change of this value renders the children again (the message changed, another view…). */
  resetKey?: unknown;
  onError?: (error: Error) => void;
  children?: ReactNode;
}

interface GuardState {
  error: Error | null;
  key: unknown;
}

export class RenderGuard extends Component<GuardProps, GuardState> {
  override state: GuardState = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<GuardState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: GuardProps, state: GuardState): Partial<GuardState> | null {
    return Object.is(props.resetKey, state.key) ? null : { error: null, key: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Rendering failed', error, info.componentStack);
    this.props.onError?.(error);
  }

  private retry = (): void => this.setState({ error: null });

  override render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error, this.retry) : this.props.children;
  }
}

/** A view (chat, settings, usage) that failed: say so and offer to try again; the sidebar still works. */
export function ViewFailed({ error, retry }: { error: Error; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="view-failed" role="alert" aria-label={t('safety.view.title')}>
      <h2>{t('safety.view.title')}</h2>
      <p>{t('safety.view.hint')}</p>
      <details>
        <summary>{t('safety.details')}</summary>
        <pre>{error.message}</pre>
      </details>
      <button type="button" className="primary" onClick={retry}>
        {t('safety.view.retry')}
      </button>
    </section>
  );
}

/** The whole window failed (outside any view): only reloading can help. */
export function AppFailed({ error }: { error: Error }) {
  const { t } = useTranslation();
  return (
    <section className="view-failed app-failed" role="alert" aria-label={t('safety.app.title')}>
      <h2>{t('safety.app.title')}</h2>
      <p>{t('safety.app.hint')}</p>
      <details>
        <summary>{t('safety.details')}</summary>
        <pre>{error.message}</pre>
      </details>
      <button type="button" className="primary" onClick={() => location.reload()}>
        {t('safety.app.reload')}
      </button>
    </section>
  );
}
