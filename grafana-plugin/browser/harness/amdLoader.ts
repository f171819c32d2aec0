// Loads the BUILT plugin (dist/module.js, an AMD module) the way Grafana's SystemJS loader does:
// its external imports are served from the host's own copies of React, @grafana/* and friends.
type Factory = (...dependencies: unknown[]) => unknown;

interface Definition {
  dependencies: string[];
  factory: Factory;
}

declare global {
  interface Window {
    define?: ((dependencies: string[], factory: Factory) => void) & { amd?: object };
  }
}

export async function loadAmdModule(url: string, shared: Record<string, unknown>): Promise<Record<string, unknown>> {
  const definition = await new Promise<Definition>((resolve, reject) => {
    const define = (dependencies: string[], factory: Factory) => resolve({ dependencies, factory });
    define.amd = {};
    window.define = define;
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`Could not load ${url}`));
    document.head.appendChild(script);
  });
  delete window.define;
  const resolved = definition.dependencies.map((name) => {
    if (name === 'module') {
      return { uri: url };
    }
    if (!(name in shared)) {
      throw new Error(`The plugin imports "${name}", which this host does not provide`);
    }
    return shared[name];
  });
  // A module with a top-level await (module.tsx awaits its translations) exports a promise.
  return (await definition.factory(...resolved)) as Record<string, unknown>;
}
