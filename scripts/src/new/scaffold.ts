// Writes the rendered template into a workspace, never over anything that exists.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate, type TemplateFile } from './template.js';

/** The template kept beside this package's sources (read at run time from src/: dist/ has no copy). */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../src/new/template/', import.meta.url));

export function readTemplate(dir: string = TEMPLATE_DIR): TemplateFile[] {
  const files: TemplateFile[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.push({ path: child, content: readFileSync(path.join(dir, child), 'utf8') });
    }
  };
  walk('');
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes apps/<name>/ and manifests/<name>/ under root and returns the paths
 * written (relative, sorted). Both folders must not exist yet; if writing fails
 * half-way, both are removed again, so a failed run leaves nothing behind.
 */
export function scaffoldApp(root: string, name: string, template: TemplateFile[] = readTemplate()): string[] {
  const files = renderTemplate(template, name);
  const folders = [path.join(root, 'apps', name), path.join(root, 'manifests', name)];
  for (const folder of folders) {
    if (existsSync(folder)) throw new Error(`${path.relative(root, folder)} already exists: nothing was written`);
  }
  try {
    for (const file of files) {
      const target = path.join(root, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.content, { flag: 'wx' });
    }
  } catch (error) {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return files.map((file) => file.path).sort();
}
