import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generatedFiles } from '../grafana/generated-files';
import { lintProvisioning } from './lint-provisioning';

const provisioningDir = resolve(__dirname, '../..');
const grafanaDir = join(provisioningDir, 'grafana');

describe('Grafana provisioning', () => {
  it('is up to date with the catalog (run `npm run generate -w provisioning` after a change)', () => {
    for (const file of generatedFiles()) {
      expect({
        path: file.path,
        content: readFileSync(join(provisioningDir, file.path), 'utf8'),
      }).toEqual(file);
    }
  });

  it('passes the linter: datasources, alert conditions, durations, routing, dashboard uids, catalog queries', () => {
    expect(lintProvisioning(grafanaDir)).toEqual([]);
  });

  describe('the linter', () => {
    let copy: string;
    beforeEach(() => {
      copy = mkdtempSync(join(tmpdir(), 'tm-lint-'));
      cpSync(grafanaDir, copy, { recursive: true });
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));

    const edit = (path: string, change: (text: string) => string): void => {
      const file = join(copy, path);
      writeFileSync(file, change(readFileSync(file, 'utf8')));
    };

    it('reports a dashboard with an id, an unknown datasource and a query outside the catalog', () => {
      edit('dashboards/json/llm-overview.json', (text) => {
        const dashboard = JSON.parse(text);
        dashboard.id = 7;
        dashboard.panels[1].targets[0].datasource.uid = 'nope';
        dashboard.panels[1].targets[0].expr = 'up';
        return JSON.stringify(dashboard);
      });
      const problems = lintProvisioning(copy).join('\n');
      expect(problems).toMatch(/llm-overview.json: has an id/);
      expect(problems).toMatch(/datasource uid "nope" is not provisioned/);
      expect(problems).toMatch(/is not a catalog query/);
    });

    it('reports a bad condition, a bad duration, a $$ in a query and an unrouted contact point', () => {
      edit('alerting/rules.yaml', (text) =>
        text
          .replace('condition: C', 'condition: Z')
          .replace('for: 5m', 'for: 5 minutes')
          .replace('$__timeFilter', '$$$$__timeFilter'),
      );
      edit('alerting/policies.yaml', (text) =>
        text.replace('receiver: tokenmeter-slack', 'receiver: tokenmeter-email'),
      );
      const problems = lintProvisioning(copy).join('\n');
      expect(problems).toMatch(/condition Z names no query/);
      expect(problems).toMatch(/duration "5 minutes" does not parse/);
      expect(problems).toMatch(/\$\$ in a query model reaches the datasource as is/);
      expect(problems).toMatch(/contact point tokenmeter-slack is reached by no policy/);
    });
  });
});
