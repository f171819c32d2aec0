// Providers publish dated snapshots and rolling aliases of one priced model
// (gpt-4o-2024-08-06, claude-sonnet-4-5-20250929, gemini-2.5-flash-preview-05-20, mistral-large-2411,
// mistral-large-latest). These suffixes are stripped one at a time to find the catalog name.
const SNAPSHOT_SUFFIX =
  /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{2}-\d{2}|\d{3}|latest|preview|exp|v\d+(?::\d+)?)$/;

/** Lower-cased model name without a hosting prefix such as `meta-llama/` or `models/`. */
export function baseModelName(model: string): string {
  const lower = model.trim().toLowerCase();
  const slash = lower.lastIndexOf('/');
  return slash >= 0 ? lower.slice(slash + 1) : lower;
}

/** The names to try in the catalog, most specific first. */
export function modelNameCandidates(model: string): string[] {
  let name = baseModelName(model);
  const candidates = [name];
  for (;;) {
    const stripped = name.replace(SNAPSHOT_SUFFIX, '');
    if (stripped === name || stripped.length === 0) return candidates;
    candidates.push(stripped);
    name = stripped;
  }
}
