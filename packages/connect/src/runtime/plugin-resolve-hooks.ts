/**
 * Node module-resolution hooks (registered by PluginPathLoader with `module.register`, so they run
 * on Node's loader thread): a plugin's `import … from '@samsa/connect'` that Node cannot resolve
 * from the plugin's own directory (no node_modules there) gets this worker's copy of the package,
 * so plugin classes extend the very SourceConnector/SinkTask… classes the worker checks against.
 * A plugin that ships its own @samsa/connect keeps it.
 */

interface HookData {
  readonly connectUrl: string;
}

interface ResolveContext {
  readonly parentURL?: string;
}

type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let connectUrl = '';

export function initialize(data: HookData): void {
  connectUrl = data.connectUrl;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<{ url: string; shortCircuit?: boolean }> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (specifier === '@samsa/connect' && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      return { url: connectUrl, shortCircuit: true };
    }
    throw error;
  }
}
