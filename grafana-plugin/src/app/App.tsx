import type { AppRootProps } from '@grafana/data';
import { useSceneApp } from '@grafana/scenes';
import React, { useCallback } from 'react';
import { resolveSettings } from '../settings/defaults';
import type { TokenmeterJsonData } from '../settings/settings';
import { tokenmeterSceneApp } from './sceneApp';

/** The app's root page: the scene app built with the thresholds saved on the Configuration page. */
export default function App({ meta }: AppRootProps<TokenmeterJsonData>) {
  const jsonData = meta.jsonData;
  const build = useCallback(() => tokenmeterSceneApp(resolveSettings(jsonData)), [jsonData]);
  const scene = useSceneApp(build);
  return <scene.Component model={scene} />;
}
