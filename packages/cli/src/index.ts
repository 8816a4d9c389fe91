export { main, TOOLS, toolByScript } from './main.js';
export { formatHelp } from './options/help-formatter.js';
export { OptionParser, type OptionSpec, ParsedOptions } from './options/option-parser.js';
export { CommandError, UsageError } from './support/command-errors.js';
export type { CommandIo } from './support/command-io.js';
export { runTool, type Tool } from './support/tool.js';
