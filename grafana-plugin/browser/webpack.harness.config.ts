// Bundles the browser harness (browser/harness) with the host's copies of React, @grafana/* and the
// other libraries Grafana shares with plugins. The plugin itself is NOT in this bundle: the harness
// loads dist/module.js at run time, as Grafana does.
import path from 'path';
import type { Configuration } from 'webpack';

export const HARNESS_OUTPUT = path.resolve(__dirname, '.build');

const config: Configuration = {
  // Production React and libraries, as Grafana ships them; not minified, to keep the build short.
  mode: 'production',
  devtool: false,
  optimization: { minimize: false },
  context: __dirname,
  entry: { harness: './harness/index.tsx' },
  output: { path: HARNESS_OUTPUT, filename: '[name].js', clean: true },
  cache: { type: 'filesystem', cacheDirectory: path.resolve(__dirname, '../node_modules/.cache/harness-webpack') },
  resolve: {
    extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'],
    alias: {
      '@tokenmeter/provisioning': path.resolve(__dirname, '../../provisioning/src'),
      '@tokenmeter/conventions': path.resolve(__dirname, '../../conventions/src'),
    },
  },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
        },
      },
      // @grafana/ui's .mjs files default-import CommonJS packages the way bundlers (not Node) do.
      { test: /\.mjs$/, include: /node_modules/, type: 'javascript/auto', resolve: { fullySpecified: false } },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/resource' },
    ],
  },
  performance: { hints: false },
  stats: 'errors-warnings',
};

export default config;
