// gen_ai.provider.name values (OpenTelemetry GenAI semconv) and common spellings, mapped to the
// provider ids of the base catalog (@pydantic/genai-prices). A name missing here is passed as is:
// the catalog knows most providers by their own name (openai, anthropic, groq, deepseek, ...).
const CATALOG_PROVIDER_ID: Readonly<Record<string, string>> = {
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  gemini: 'google',
  vertex_ai: 'google',
  'google-vertex': 'google',
  'aws.bedrock': 'aws',
  bedrock: 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  mistral_ai: 'mistral',
  mistralai: 'mistral',
  x_ai: 'x-ai',
  xai: 'x-ai',
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  moonshot: 'moonshotai',
  // `meta` names Llama at any host (instrumentation's convention); it is priced at Together AI's
  // list prices, the reference host the previous hand-written catalog used as well.
  meta: 'together',
  'meta-llama': 'together',
};

export function catalogProviderId(provider: string): string {
  const lower = provider.trim().toLowerCase();
  return CATALOG_PROVIDER_ID[lower] ?? lower;
}
