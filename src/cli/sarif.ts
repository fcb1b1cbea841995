import { pathToFileURL } from 'node:url';
import type { Severity } from '../core/manifest/findingTypes';
import type { LintedFile } from './lintReport';
import { sortedFindings } from './lintReport';
import { STDIN_NAME } from './files';

/** What SARIF needs to know about one rule of the catalog. */
export interface SarifRule {
  id: string;
  defaultSeverity: Severity;
  title: string;
  helpUri: string;
}

export interface SarifTool {
  name: string;
  version: string;
  informationUri: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
};

/** A display path (relative to cwd, `/`-separated) as a relative URI reference against %SRCROOT%. */
export function artifactUri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** SARIF 2.1.0 log with one run: the rule catalog and one result per finding (1-based regions, UTF-16 columns). */
export function lintSarif(
  files: readonly LintedFile[],
  rules: readonly SarifRule[],
  tool: SarifTool,
  cwd: string,
): unknown {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = [];
  for (const { file, analysis } of files) {
    const uri = file === STDIN_NAME ? 'stdin' : artifactUri(file);
    for (const f of sortedFindings(analysis.findings)) {
      const index = ruleIndex.get(f.ruleId);
      const result: Record<string, unknown> = {
        ruleId: f.ruleId,
        ...(index === undefined ? {} : { ruleIndex: index }),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: file === STDIN_NAME ? { uri } : { uri, uriBaseId: '%SRCROOT%' },
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1,
                endColumn: f.range.end.character + 1,
              },
            },
            ...(f.object
              ? {
                  logicalLocations: [
                    {
                      name: f.container ?? f.object.name ?? f.object.kind,
                      fullyQualifiedName: [f.object.namespace, f.object.kind, f.object.name, f.container]
                        .filter((x) => x !== null)
                        .join('/'),
                      kind: f.container ? 'member' : 'object',
                    },
                  ],
                }
              : {}),
          },
        ],
      };
      results.push(result);
    }
  }
  const srcRoot = pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              helpUri: r.helpUri,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(
  files: readonly LintedFile[],
  rules: readonly SarifRule[],
  tool: SarifTool,
  cwd: string,
): string {
  return JSON.stringify(lintSarif(files, rules, tool, cwd), null, 2) + '\n';
}
