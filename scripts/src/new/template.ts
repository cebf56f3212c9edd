// The starter template, rendered for one app name. Pure: files in, files out.
//
// The template folder (scripts/src/new/template) has `app/` (becomes apps/<name>/)
// and `manifest/` (becomes manifests/<name>/). Every file ends in .tmpl so no tool
// takes the template for real code (vitest would run its test, pnpm would see a
// package); `__APP__` in paths and contents becomes the name.

export interface TemplateFile {
  /** Path inside the template folder, with / separators, e.g. app/src/index.ts.tmpl */
  path: string;
  content: string;
}

export interface RenderedFile {
  /** Path relative to the workspace root, with / separators. */
  path: string;
  content: string;
}

const PLACEHOLDER = /__APP__/g;

export function renderTemplate(files: readonly TemplateFile[], name: string): RenderedFile[] {
  return files.map((file) => {
    if (!file.path.endsWith('.tmpl')) throw new Error(`template file ${file.path} must end in .tmpl`);
    const inside = file.path.slice(0, -'.tmpl'.length).replace(PLACEHOLDER, name);
    let target: string;
    if (inside.startsWith('app/')) target = `apps/${name}/${inside.slice('app/'.length)}`;
    else if (inside.startsWith('manifest/')) target = `manifests/${name}/${inside.slice('manifest/'.length)}`;
    else throw new Error(`template file ${file.path} is neither under app/ nor manifest/`);
    return { path: target, content: file.content.replace(PLACEHOLDER, name) };
  });
}
