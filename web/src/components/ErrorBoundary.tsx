import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = Readonly<{ area: string; children: ReactNode; resetKey?: unknown }>;
type State = Readonly<{ error: Error | null; resetKey: unknown }>;

/** Keeps one broken panel from blanking the whole page, and says what broke. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // A new resetKey (e.g. another event selected) gives the panel a fresh try.
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(_error: Error, _info: ErrorInfo) {
    // Nothing to report to: the panel shows the error itself.
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="fs-panel-error" role="alert">
        <strong>The {this.props.area} could not be shown.</strong>
        <p className="fs-muted">{error.message}</p>
        <button type="button" className="fs-button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
