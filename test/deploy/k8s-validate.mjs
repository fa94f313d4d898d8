// Validates Kubernetes manifests with kubernetes-models (its generated JSON-schema validators),
// plus a strict unknown-field check the schemas do not make (they allow extra properties, so a
// typo such as `readOnlyRootFileSystem` would pass): every key must be a field of the model's
// TypeScript interface, walked recursively through the .d.ts files of the package.
//
// kubernetes-models and @kubernetes-models/validate are ES modules only; jest runs CommonJS, so
// manifests.int.spec.ts runs this file in a child process:
//   node test/deploy/k8s-validate.mjs <file.yaml>...   → JSON report on stdout
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = join(root, 'node_modules/kubernetes-models');

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  return group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
}

// ---- strict field check through the .d.ts interfaces ----------------------------------------
const interfaces = new Map();

function resolveImport(fromFile, specifier) {
  if (specifier.startsWith('.')) return resolve(dirname(fromFile), specifier.replace(/\.js$/, '.d.ts'));
  const candidates = [join(root, 'node_modules', `${specifier}.d.ts`), join(modelsDir, 'node_modules', `${specifier}.d.ts`)];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** { props: Map<name, typeText>, imports: Map<symbol, file> } of the file's first interface, or null. */
function loadInterface(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  let parsed = null;
  if (file && existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const imports = new Map();
    for (const m of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) imports.set(m[1], resolveImport(file, m[2]));
    const start = text.search(/^export interface I\w+(?: extends [\w, ]+)? \{$/m);
    if (start >= 0) {
      const lines = text.slice(start).split('\n').slice(1);
      const props = new Map();
      for (let i = 0; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const m = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
        if (!m) continue;
        let type = m[2];
        while (!type.endsWith(';') && i + 1 < lines.length) type += ` ${lines[++i].trim()}`;
        props.set(m[1], type.replace(/;$/, '').trim());
      }
      parsed = { props, imports, file };
    }
  }
  interfaces.set(file, parsed);
  return parsed;
}

function walk(value, type, owner, path, errors) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, array[1], owner, `${path}[${i}]`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+?);? \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, map[1], owner, `${path}.${k}`, errors);
    return;
  }
  if (!/^I\w+$/.test(type) || !owner.imports.has(type)) return; // primitives, enums, aliases
  const next = loadInterface(owner.imports.get(type));
  if (next) checkObject(value, next, path, errors);
}

function checkObject(value, iface, path, errors) {
  if (typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const type = iface.props.get(key);
    if (type === undefined) {
      errors.push(`${path ? `${path}.` : ''}${key}: unknown field (not in ${iface.file.replace(`${root}/node_modules/`, '')})`);
      continue;
    }
    walk(v, type, iface, path ? `${path}.${key}` : key, errors);
  }
}

// ---- main ---------------------------------------------------------------------------------
const report = [];
for (const file of process.argv.slice(2)) {
  // YAML 1.1 like kubectl (sigs.k8s.io/yaml): 0440 is octal there, decimal in YAML 1.2.
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' });
  for (const [index, doc] of docs.entries()) {
    const entry = { file, index, errors: [] };
    report.push(entry);
    if (doc.errors.length) {
      entry.errors.push(...doc.errors.map((e) => `YAML: ${e.message}`));
      continue;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) {
      entry.empty = true;
      continue;
    }
    Object.assign(entry, { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name, object });
    if (!object.apiVersion || !object.kind) {
      entry.errors.push('apiVersion and kind are required');
      continue;
    }
    if (object.apiVersion.startsWith('kustomize.config.k8s.io/')) {
      entry.kustomization = true;
      continue;
    }
    const path = modelPath(object.apiVersion, object.kind);
    let Model;
    try {
      Model = (await import(`kubernetes-models/${path}`))[object.kind];
    } catch (error) {
      entry.errors.push(`no model for ${object.apiVersion} ${object.kind}: ${error.message}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      entry.errors.push(`schema: ${error.message}`);
    }
    const iface = loadInterface(join(modelsDir, `${path}.d.ts`));
    if (iface) checkObject(object, iface, '', entry.errors);
    else entry.errors.push(`no interface found for ${path}`);
  }
}
process.stdout.write(JSON.stringify(report));
