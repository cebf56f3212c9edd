export { parsePage, PageError, SKIP_REASONS, type CommandBlock, type SkipReason } from './markdown.js';
export { normalise, type NormaliseOptions } from './normalise.js';
export { matchLines, describeMismatch, ANY_LINES } from './compare.js';
export { rewriteCommand, restoreOutput, type Sandbox } from './rewrite.js';
export { readPages, blockTitle, type Page } from './pages.js';
export { relativeLinks, type PageLink } from './links.js';
export { pnpmUses, flagsMissingFromHelp, type PnpmUse } from './commands.js';
export { Session, type BlockOutcome, type SessionOptions } from './session.js';
