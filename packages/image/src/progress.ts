// Progress of a build and push, as events; a renderer for standard error.

export type ProgressEvent =
  | { type: 'step'; message: string }
  | { type: 'blob'; digest: string; size: number; state: 'exists' | 'mounted' | 'uploading' | 'uploaded'; sent: number; label: string };

export type ProgressListener = (event: ProgressEvent) => void;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for a blob: `  app layer  sha256:0123456789ab  uploading  1.2 MB/3.4 MB`. */
export function formatBlobLine(event: Extract<ProgressEvent, { type: 'blob' }>): string {
  const short = event.digest.slice(0, 'sha256:'.length + 12);
  const amount =
    event.state === 'uploading' ? `${formatBytes(event.sent)}/${formatBytes(event.size)}` : formatBytes(event.size);
  const state = { exists: 'exists', mounted: 'mounted', uploading: 'uploading', uploaded: 'pushed' }[event.state];
  return `  ${event.label.padEnd(14)} ${short}  ${state.padEnd(9)} ${amount}`;
}

/**
 * Renders events on a stream: on a terminal, the blob being uploaded updates
 * in place; elsewhere (CI logs) only finished blobs and steps are written.
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener {
  const live = stream.isTTY === true;
  let lastDraw = 0;
  let drawing = false;
  return (event) => {
    if (event.type === 'step') {
      if (drawing) stream.write('\n');
      drawing = false;
      stream.write(`${event.message}\n`);
      return;
    }
    if (event.state === 'uploading') {
      const now = Date.now();
      if (!live || now - lastDraw < 100) return;
      lastDraw = now;
      stream.write(`\r\u001b[2K${formatBlobLine(event)}`);
      drawing = true;
      return;
    }
    stream.write(`${live ? '\r\u001b[2K' : ''}${formatBlobLine(event)}\n`);
    drawing = false;
  };
}
