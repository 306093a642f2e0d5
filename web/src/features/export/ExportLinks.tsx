import type { ReactNode } from 'react';
import { exportMarkers } from './export.markers';
import './export.css';

export type ExportLink = Readonly<{
  /** What is exported, for tests and styling (`flow-mermaid`, `asyncapi`, …). */
  id: string;
  label: string;
  /** A same-origin API path that answers with an attachment. */
  href: string;
  fileName: string;
  title: string;
}>;

/** A download link to a server export; the access cookie rides along, the browser saves the file. */
export function ExportAnchor({ link }: { link: ExportLink }) {
  return (
    <a
      className="fs-button fs-button--small fs-export__button"
      href={link.href}
      download={link.fileName}
      title={link.title}
      data-testid={exportMarkers.button}
      data-export={link.id}
    >
      <span aria-hidden="true">↓</span> {link.label}
    </a>
  );
}

/** An export made here in the browser rather than by the server (the map as SVG or PNG). */
export function ExportButton({
  id,
  label,
  title,
  onClick,
}: {
  id: string;
  label: string;
  title: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="fs-button fs-button--small fs-export__button"
      data-testid={exportMarkers.button}
      data-export={id}
      title={title}
      onClick={onClick}
    >
      <span aria-hidden="true">↓</span> {label}
    </button>
  );
}

/** A labelled row of export links (and any extra buttons), with what went wrong if an export failed. */
export function ExportGroup({
  scope,
  label = 'Export',
  links,
  error,
  children,
}: {
  scope: string;
  label?: string;
  links: readonly ExportLink[];
  error?: string | null;
  children?: ReactNode;
}) {
  return (
    <div
      className="fs-export"
      role="group"
      aria-label={label}
      data-testid={exportMarkers.group}
      data-export-scope={scope}
    >
      <span className="fs-export__label">{label}</span>
      {links.map((l) => (
        <ExportAnchor key={l.id} link={l} />
      ))}
      {children}
      {error && (
        <span className="fs-export__error" role="alert" data-testid={exportMarkers.error}>
          {error}
        </span>
      )}
    </div>
  );
}
