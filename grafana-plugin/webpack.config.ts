// Extends the scaffolded build (.config/webpack) with what Tokenmeter needs:
// - the shared query catalog (@tokenmeter/provisioning) and the shared names it reads
//   (@tokenmeter/conventions) compiled from their TypeScript sources;
// - the provisioned dashboards copied into dist/dashboards and listed in dist/plugin.json `includes`.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import baseConfig, { type Env } from './.config/webpack/webpack.config.ts';
import { copyFilePatterns } from './.config/bundler/copyFiles.ts';
import { DASHBOARDS_DIR, withDashboardIncludes } from './scripts/dashboard-includes.ts';

const PROVISIONING_SRC = path.resolve(__dirname, '../provisioning/src');
const CONVENTIONS_SRC = path.resolve(__dirname, '../conventions/src');

const config = async (env: Env): Promise<Configuration> => {
  const base = await baseConfig(env);
  base.plugins = (base.plugins ?? []).filter((plugin) => !(plugin instanceof CopyWebpackPlugin));
  return merge(base, {
    resolve: {
      alias: { '@tokenmeter/provisioning': PROVISIONING_SRC, '@tokenmeter/conventions': CONVENTIONS_SRC },
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          ...copyFilePatterns.map((pattern) =>
            pattern.from === 'plugin.json'
              ? { ...pattern, transform: (content: Buffer) => withDashboardIncludes(content.toString('utf8')) }
              : pattern
          ),
          { from: path.join(DASHBOARDS_DIR, '*.json'), to: 'dashboards/[name][ext]' },
        ],
      }),
    ],
  });
};

export default config;
